// `nbgen sync` against a real NB: a watch stream in kubectl's format (an initial List, then three
// watches interleaved object by object: pods, NetworkPolicies, namespaces; an invalid policy, a
// BOOKMARK and an ERROR among them) leaves the NB exactly as `nbgen apply` of the final state does.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '@ovn-nbgen/core';
import { run, type CliIo } from '../../../packages/cli/src/index.js';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { buildTopology } from '../../harness/topology.js';
import { canonicalDump } from '../../export/nbDump.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const STREAM = 'test/e2e/sync/streams/shop-watch.json';
const FINAL = 'test/e2e/sync/streams/shop-final.json';

async function nbgen(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => '', cwd: repoRoot };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/** Every pod the stream ever names gets its switch port, in both runs. */
async function topologyOf(ovn: Ovn): Promise<void> {
  await ovn.resetNb();
  const text = readFileSync(resolve(repoRoot, STREAM), 'utf8');
  const pods = new Map<string, object>();
  for (const match of text.matchAll(/^\{$[\s\S]*?^\}$/gm)) {
    const value = JSON.parse(match[0]) as { type?: string; object?: { kind?: string }; kind?: string; items?: { kind?: string }[] };
    const objects = value.items ?? (value.object ? [value.object] : []);
    for (const o of objects as { kind?: string; metadata: { namespace: string; name: string }; status?: { podIP?: string } }[]) {
      if (o.kind === 'Pod' && o.status?.podIP) pods.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
    }
  }
  const { model } = loadModel([{ name: 'pods.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...pods.values()] }) }]);
  await buildTopology(ovn, { pods: model.pods });
}

for (const version of OVN_VERSIONS) {
  describe.skipIf(ovnToolsOrSkip(version) === null)(`nbgen sync on OVN ${version}`, () => {
    let ovn: Ovn;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    it('leaves the NB as `nbgen apply` of the final state, reporting the invalid object by position and skipping it', async () => {
      await topologyOf(ovn);
      const synced = await nbgen(['sync', '-f', STREAM, '--db', `unix:${ovn.nbSocketPath}`]);
      expect(synced.stderr).toBe(
        [
          `${STREAM}#5 spec.ingress[0].ports[0].port: must be between 1 and 65535 (skipped)`,
          `${STREAM}#6: the watch reported an error: too old resource version: 1000 (1207) (skipped)`,
          '',
        ].join('\n'),
      );
      expect(synced.code).toBe(0);
      expect(synced.stdout).toMatch(/^synced 17 events \(2 skipped\) in \d+ transactions, \d+ operations\n$/);
      const afterSync = await canonicalDump(ovn);

      await topologyOf(ovn);
      const applied = await nbgen(['apply', '-f', FINAL, '--db', `unix:${ovn.nbSocketPath}`]);
      expect(applied.code).toBe(0);
      expect(await canonicalDump(ovn)).toEqual(afterSync);
      // The stream's effect is visible: db-1 (added), api-0 (got its IP) and web-0 (relabelled app=api) are where the final state puts them.
      expect(afterSync.Port_Group!.join('\n')).toContain('db-1.shop');
    });

    it("deletes the owner's rows left in the NB that an object's first event no longer produces", async () => {
      // Before sync: the final state applied with one more ingress rule on db-from-web (its ACLs).
      await topologyOf(ovn);
      const before = JSON.parse(readFileSync(resolve(repoRoot, FINAL), 'utf8')) as { items: { kind: string; metadata: { name: string }; spec: { ingress?: unknown[] } }[] };
      const policy = before.items.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'db-from-web')!;
      policy.spec.ingress = [...(policy.spec.ingress ?? []), { from: [{ ipBlock: { cidr: '10.99.0.0/16' } }], ports: [{ port: 9999, protocol: 'TCP' }] }];
      const dir = mkdtempSync(join(tmpdir(), 'nbgen-sync-stale-'));
      writeFileSync(join(dir, 'before.json'), JSON.stringify(before));
      expect((await nbgen(['apply', '-f', join(dir, 'before.json'), '--db', `unix:${ovn.nbSocketPath}`])).code).toBe(0);
      expect((await canonicalDump(ovn)).ACL!.join('\n')).toContain('9999');
      rmSync(dir, { recursive: true });

      // The stream, then: later events are committed row by row, the first one of an object whole.
      expect((await nbgen(['sync', '-f', STREAM, '--db', `unix:${ovn.nbSocketPath}`])).code).toBe(0);
      const afterSync = await canonicalDump(ovn);
      await topologyOf(ovn);
      expect((await nbgen(['apply', '-f', FINAL, '--db', `unix:${ovn.nbSocketPath}`])).code).toBe(0);
      expect(await canonicalDump(ovn)).toEqual(afterSync);
    });

    it('reads the stream from stdin (-f -) through the nbgen binary and stops at its end', async () => {
      await topologyOf(ovn);
      const bin = resolve(repoRoot, 'packages/cli/bin/nbgen.js');
      const child = execFile(process.execPath, [bin, 'sync', '-f', '-', '--db', `unix:${ovn.nbSocketPath}`], { cwd: repoRoot });
      child.stdin!.end(readFileSync(resolve(repoRoot, STREAM)));
      let stdout = '';
      child.stdout!.on('data', (d: string) => (stdout += d));
      const code = await new Promise<number | null>((done) => child.on('exit', done));
      expect(code).toBe(0);
      expect(stdout).toMatch(/^synced 17 events \(2 skipped\)/);
      const afterSync = await canonicalDump(ovn);
      await topologyOf(ovn);
      expect((await nbgen(['apply', '-f', FINAL, '--db', `unix:${ovn.nbSocketPath}`])).code).toBe(0);
      expect(await canonicalDump(ovn)).toEqual(afterSync);
    });
  });
}
