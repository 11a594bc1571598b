// docs/debug-nb.md "Debug a cluster's NB": the recipe for a copied NB database file is run as written (its
// paths moved into a temp dir, `nbgen` the repo's bin) on a database file written the way Kube-OVN
// writes it (examples/live-nb/kube-ovn-nb.sh): it serves the copy on a unix socket, explain and
// matrix read it, and the server it started is stopped again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTempDir, removeTempDir, run as runTool, startStandaloneNb, stopAllOvsdbServers } from '../../../test/harness/ovsdbServer.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
let dir: string;

/** The ```sh block of docs/debug-nb.md, as the reader sees it. */
function recipe(): string {
  const readme = readFileSync(join(repoRoot, 'docs/debug-nb.md'), 'utf8');
  const section = readme.slice(readme.indexOf("# Debug a cluster's NB"));
  const m = /```sh\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error("docs/debug-nb.md: no sh block under Debug a cluster's NB");
  return m[1]!;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Whether the file is gone within 10 s: the server exits shortly after answering `exit`. */
async function pidFileGone(file: string): Promise<boolean> {
  for (let i = 0; i < 200 && existsSync(file); i++) await new Promise((done) => setTimeout(done, 50));
  return !existsSync(file);
}

beforeAll(async () => {
  dir = await makeTempDir('nbgen-recipe-');
  // The "cluster's" NB: written by the example script into a server of our own, then copied.
  const source = join(dir, 'cluster');
  mkdirSync(source);
  const nb = await startStandaloneNb({ dir: source });
  await runTool('bash', ['-c', `OVN_NB_DB=${nb.remotes.unix} bash examples/live-nb/kube-ovn-nb.sh`], { cwd: repoRoot });
  await nb.stop();
  copyFileSync(nb.dbFile, join(dir, 'ovnnb_db.db'));
}, 60_000);

afterAll(async () => {
  await stopAllOvsdbServers();
  const pidFile = join(dir, 'nb-copy/nb.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  if (dir) await removeTempDir(dir);
});

describe("docs/debug-nb.md: Debug a cluster's NB", () => {
  it('serves a copied NB file on a unix socket; explain and matrix --db read it; the server is stopped after', async () => {
    const script = [
      `nbgen() { node ${join(repoRoot, 'packages/cli/bin/nbgen.js')} "$@"; echo "[exit $?]"; }`,
      recipe().replaceAll('/tmp/nb-copy', join(dir, 'nb-copy')),
    ].join('\n');
    const out = await runTool('bash', ['-c', script], { cwd: dir });
    expect(out).toContain('DENY  shop/client -> shop/web-0  (TCP port 8000, IPv4)\n');
    expect(out).toContain('Written by:\n  to-lport: NetworkPolicy shop/web-ingress rule shop/web-ingress (kube-ovn)\n[exit 1]\n');
    expect(out).toMatch(/^TCP\/8000: \d+ of 25 allowed$/m);
    expect(out.match(/\[exit \d\]/g)).toEqual(['[exit 1]', '[exit 0]']);
    // ovsdb-server removes its pidfile when it exits (the recipe's ovs-appctl exit). `exit` is
    // answered before the process is gone, so wait for that (as OVS's own OVS_APP_EXIT_AND_WAIT
    // does) instead of reading the pidfile at once.
    expect(await pidFileGone(join(dir, 'nb-copy/nb.pid'))).toBe(true);
    expect(existsSync(join(dir, 'nb-copy/nb.log'))).toBe(true);
  });
});
