// examples/controller/controller.ts, run as its README shows, against a real ovsdb-server with the
// recorded watch stream: the NB then holds what `nbgen apply` of the final state writes.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run, type CliIo } from '../../../packages/cli/src/index.js';
import { run as runTool, startStandaloneNb, stopAllOvsdbServers, type StandaloneNb } from '../../harness/ovsdbServer.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
let nb: StandaloneNb;

beforeAll(async () => {
  nb = await startStandaloneNb();
  const ports = ['web-0.shop', 'web-1.shop', 'db-0.shop', 'db-1.shop', 'api-0.shop', 'probe.tools'];
  await runTool('ovn-nbctl', [`--db=${nb.remotes.unix}`, 'ls-add', 'ovn-default', ...ports.flatMap((p) => ['--', 'lsp-add', 'ovn-default', p])]);
}, 60_000);

afterAll(async () => {
  await nb?.stop();
  await stopAllOvsdbServers();
});

it('runs as its README shows and leaves the NB as nbgen apply of the final state', async () => {
  // node --import tsx examples/controller/controller.ts REMOTE < test/e2e/sync/streams/shop-watch.json
  const child = execFile(process.execPath, ['--import', 'tsx', 'examples/controller/controller.ts', nb.remotes.unix!], { cwd: repoRoot });
  child.stdin!.end(readFileSync(resolve(repoRoot, 'test/e2e/sync/streams/shop-watch.json')));
  let stderr = '';
  child.stderr!.on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  expect(stderr).toMatch(/^skipped events#5: must be between 1 and 65535$/m);
  expect(stderr).toMatch(/^committed \d+ events: \d+ operations$/m);
  expect(code).toBe(0);

  let out = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (out += t), readStdin: async () => '', cwd: repoRoot };
  const diff = await run(['diff', '-f', 'test/e2e/sync/streams/shop-final.json', '--owner', 'example-controller', '--always-allow', '100.64.0.0/16', '--db', nb.remotes.unix!], io);
  expect({ diff, out }).toEqual({ diff: 0, out: '' });
}, 60_000);
