// `nbgen sync` through the binary with stdin piped, against a standalone ovsdb-server: the NB is
// killed (SIGKILL) mid-stream and started again; sync resumes and the NB ends as `nbgen apply` of
// the final state has it (`nbgen diff` finds nothing). SIGTERM stops it cleanly after committing
// what it read.
import { execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { run, type CliIo } from '../../../packages/cli/src/index.js';
import { run as runTool, startStandaloneNb, stopAllOvsdbServers, type StandaloneNb } from '../../harness/ovsdbServer.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const STREAM = readFileSync(resolve(repoRoot, 'test/e2e/sync/streams/shop-watch.json'), 'utf8');
const FINAL = 'test/e2e/sync/streams/shop-final.json';
const PORTS = ['web-0.shop', 'web-1.shop', 'db-0.shop', 'db-1.shop', 'api-0.shop', 'probe.tools'];
let nb: StandaloneNb;

const nbctl = (...args: string[]) => runTool('ovn-nbctl', [`--db=${nb.remotes.unix}`, ...args]);

async function nbgen(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => '', cwd: repoRoot };
  return { code: await run(argv, io), stdout, stderr };
}

/** The stream cut before its `n`th top-level value (kubectl prints each starting with a `{` line). */
function valuesUpTo(n: number): [string, string] {
  const starts = [...STREAM.matchAll(/^\{$/gm)].map((m) => m.index!);
  return [STREAM.slice(0, starts[n]), STREAM.slice(starts[n])];
}

function spawnSync(): { child: ChildProcess; exit: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = execFile(process.execPath, [resolve(repoRoot, 'packages/cli/bin/nbgen.js'), 'sync', '-f', '-', '--db', nb.remotes.unix!], { cwd: repoRoot });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: string) => (stdout += d));
  child.stderr!.on('data', (d: string) => (stderr += d));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => child.on('exit', (code) => done({ code, stdout, stderr })));
  return { child, exit };
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await condition()) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const portGroups = async () => (await nbctl('--bare', '--columns=name', 'list', 'Port_Group')).split(/\s+/).filter(Boolean).sort();

beforeAll(async () => {
  nb = await startStandaloneNb();
}, 60_000);

afterAll(async () => {
  await nb?.stop();
  await stopAllOvsdbServers();
});

beforeEach(async () => {
  await nbctl('--if-exists', 'ls-del', 'ovn-default');
  for (const table of ['Port_Group', 'Address_Set']) {
    for (const u of (await nbctl('--bare', '--columns=_uuid', 'list', table)).split(/\s+/).filter(Boolean)) await nbctl('destroy', table, u);
  }
  await nbctl('ls-add', 'ovn-default', ...PORTS.flatMap((p) => ['--', 'lsp-add', 'ovn-default', p]));
});

it('resumes after the NB is killed and restarted mid-stream, ending where apply of the final state ends', async () => {
  const { child, exit } = spawnSync();
  const [first, rest] = valuesUpTo(3);
  child.stdin!.write(first);
  await until(async () => (await portGroups()).includes('np.shop.db_from_web'), 'the first commit');
  await nb.kill('SIGKILL');
  const [during, after] = [rest.slice(0, rest.length / 2), rest.slice(rest.length / 2)];
  child.stdin!.write(during);
  await new Promise((done) => setTimeout(done, 2000));
  await nb.restart();
  child.stdin!.end(after);
  const result = await exit;
  expect(result.code).toBe(0);
  expect(await nbgen(['diff', '-f', FINAL, '--db', nb.remotes.unix!])).toEqual({ code: 0, stdout: '', stderr: '' });
  // The client reconnected on its own and the Reconciler re-read and re-planned the commit that
  // met the dead NB: nothing for sync to resume (its own resume runs when the Reconciler gives up).
  expect(result.stderr).toBe('-#5 spec.ingress[0].ports[0].port: must be between 1 and 65535 (skipped)\n-#6: the watch reported an error: too old resource version: 1000 (1207) (skipped)\n');
  expect(result.stdout).toMatch(/^synced 17 events \(2 skipped\) in \d+ transactions, \d+ operations\n$/);
  expect(await nbgen(['diff', '-f', FINAL, '--db', nb.remotes.unix!])).toEqual({ code: 0, stdout: '', stderr: '' });
}, 60_000);

it('stops on SIGTERM after committing what it read, and exits 0', async () => {
  const { child, exit } = spawnSync();
  const [first] = valuesUpTo(3);
  child.stdin!.write(first);
  await until(async () => (await portGroups()).includes('np.shop.db_from_web'), 'the first commit');
  child.kill('SIGTERM');
  const result = await exit;
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^synced 9 events \(0 skipped\) in \d+ transactions/);
  expect(await portGroups()).toEqual(['np.shop.db_from_web', 'np.shop.default_deny']);
}, 60_000);

it('stops at text that is not JSON, after committing what came before it, with exit 2', async () => {
  const { child, exit } = spawnSync();
  const [first] = valuesUpTo(3);
  child.stdin!.end(`${first}error: unable to connect to the server\n`);
  const result = await exit;
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^nbgen: -: line \d+: expected a JSON object, found "e"; stopping after committing what came before$/m);
  expect(result.stdout).toMatch(/^synced 9 events \(0 skipped\) in \d+ transactions/);
  expect(await portGroups()).toEqual(['np.shop.db_from_web', 'np.shop.default_deny']);
}, 60_000);

it('skips a watch value that repeats a key, keeping the policy as it was, and says where', async () => {
  const { child, exit } = spawnSync();
  const [first] = valuesUpTo(3);
  child.stdin!.write(first);
  await until(async () => (await portGroups()).includes('np.shop.db_from_web'), 'the first commit');
  const ports = async () => (await nbctl('--bare', '--columns=ports', 'find', 'Port_Group', 'name=np.shop.db_from_web')).split(/\s+/).filter(Boolean).sort();
  const before = await ports();
  // JSON.parse would keep the second podSelector (every pod of shop), widening what the policy
  // isolates from what the writer may have meant; sync must not guess.
  const spec = '"spec": {"podSelector": {"matchLabels": {"app": "db"}}, "podSelector": {}, "ingress": [], "policyTypes": ["Ingress"]}';
  child.stdin!.end(`{"type": "MODIFIED", "object": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "db-from-web", "namespace": "shop"}, ${spec}}}\n`);
  const result = await exit;
  expect(result.code).toBe(0);
  expect(result.stderr).toMatch(/^-#3: line \d+: JSON: a key is repeated within one object, so which value counts is ambiguous \(skipped\)\n$/);
  expect(result.stdout).toMatch(/^synced 9 events \(1 skipped\) in \d+ transactions/);
  expect(await ports()).toEqual(before);
  expect(before.length).toBe(2);
}, 60_000);
