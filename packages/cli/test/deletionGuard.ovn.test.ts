// Every refusal of section "nothing is deleted because of a mistake in the input", against a real
// standalone ovsdb-server: a policy at an apiVersion nbgen does not read, input without objects,
// and a plan over the deletion limit leave the NB exactly as it was (whole dump before and after),
// for apply, apply --dry-run and the exported script alike; diff counts the deletions; and
// `nbgen delete` (live, and as a script) removes an owner's rows on purpose, nobody else's.
import { beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runNbgen as nbgen } from './inProcessNbgen.js';
import { standaloneNbPerFile, tempDirPerFile } from '../../../test/harness/ovsdbServerPerFile.js';
import { canonicalDump, type NbReader } from '../../../test/export/nbDump.js';
import { resetToUnderlayServiceSwitch } from './underlayServiceNb.js';

const scratchDir = tempDirPerFile('nbgen-guard-');
const { nb, nbctl } = standaloneNbPerFile();


const reader: NbReader = { nbctl: (args) => nbctl(...args) };
const db = (): string[] => ['--db', nb().remotes.unix!];

/** Runs an exported script against the NB: its exit status and stderr. */
function runScript(text: string): { status: number | null; stderr: string } {
  const { status, stderr } = spawnSync('bash', ['-c', text], { env: { ...process.env, OVN_NB_DB: nb().remotes.unix! }, encoding: 'utf8' });
  return { status, stderr };
}

/** Six ingress policies on the client: a port group and two ACLs each. */
const sixPolicies = [0, 1, 2, 3, 4, 5]
  .map(
    (i) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: client-in-${i}, namespace: shop }
spec:
  podSelector: { matchLabels: { app: client } }
  policyTypes: [Ingress]
  ingress: [{ from: [{ podSelector: { matchLabels: { app: frontend } } }], ports: [{ protocol: TCP, port: ${8000 + i} }] }]
`,
  )
  .join('---\n');

function write(relativePath: string, text: string): string {
  const path = join(scratchDir(), relativePath);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

beforeEach(async () => {
  await resetToUnderlayServiceSwitch(nbctl);
  // Somebody else's rows, which nothing here may touch.
  await nbctl('pg-add', 'handmade', 'client.shop');
  await nbctl('--type=port-group', 'acl-add', 'handmade', 'to-lport', '1000', 'outport == @handmade && tcp.dst == 22', 'drop');
});

describe('mistakes in the input write nothing', () => {
  it('a NetworkPolicy at networking.k8s.io/v1beta1: apply exits 2 naming file#doc, the NB is unchanged (on main it deleted the policy)', async () => {
    expect((await nbgen(['apply', '-f', 'examples/underlay-service', ...db()])).code).toBe(0);
    const before = await canonicalDump(reader);
    const policy = write('v1beta1/client-egress.yaml', readFileSync(join(repoRoot, 'examples/underlay-service/client-egress.yaml'), 'utf8').replace('networking.k8s.io/v1', 'networking.k8s.io/v1beta1'));
    const out = await nbgen(['apply', '-f', 'examples/underlay-service/cluster.yaml', '-f', policy, ...db()]);
    expect(out).toEqual({
      code: 2,
      stdout: '',
      stderr: `${policy}#0 apiVersion: no matches for kind "NetworkPolicy" in version "networking.k8s.io/v1beta1"; nbgen reads networking.k8s.io/v1\n`,
    });
    expect(await canonicalDump(reader)).toEqual(before);
  });

  it('an empty directory: apply exits 2 "no objects passed", the NB is unchanged', async () => {
    expect((await nbgen(['apply', '-f', 'examples/underlay-service', ...db()])).code).toBe(0);
    const before = await canonicalDump(reader);
    const empty = join(scratchDir(), 'empty');
    mkdirSync(empty, { recursive: true });
    const out = await nbgen(['apply', '-f', empty, ...db()]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^nbgen: no objects passed: /);
    expect(await canonicalDump(reader)).toEqual(before);
  });
});

describe('the deletion limit', () => {
  it('apply, apply --dry-run and the exported script refuse the same deletions, with the same counts, writing nothing; diff counts them', async () => {
    const six = write('six/policies.yaml', sixPolicies);
    expect((await nbgen(['apply', '-f', 'examples/underlay-service', '-f', six, ...db()])).code).toBe(0);
    const before = await canonicalDump(reader);

    const counts = 'refusing to delete 18 of the 22 rows of owner "nbgen" (Port_Group 6 of 7, ACL 12 of 14): over the deletion limit, ' +
      'more than 50% and more than 10 rows, or all rows with none written (the default). Nothing was written.\n';
    const applied = await nbgen(['apply', '-f', 'examples/underlay-service', ...db()]);
    expect(applied).toEqual({
      code: 2,
      stdout: '',
      stderr: `nbgen: ${counts}Check the input (a missing or mistyped file removes its policies' rows); if these rows should go, ` +
        'run again with --max-delete 18 (or --max-delete 100%); to remove all rows of an owner, use nbgen delete --owner nbgen.\n',
    });
    expect(await nbgen(['apply', '-f', 'examples/underlay-service', ...db(), '--dry-run'])).toEqual(applied);
    expect(await canonicalDump(reader)).toEqual(before);

    const exported = await nbgen(['export', '-f', 'examples/underlay-service']);
    const script = runScript(exported.stdout);
    expect(script.status).toBe(2);
    expect(script.stderr).toMatch(new RegExp(`^nbgen: ${counts.replace(/[.()%]/g, '\\$&')}`));
    expect(await canonicalDump(reader)).toEqual(before);

    const diff = await nbgen(['diff', '-f', 'examples/underlay-service', ...db()]);
    expect(diff.code).toBe(1);
    expect(diff.stdout.split('\n').filter((l) => l.startsWith('- ')).length).toBe(18);
    expect(diff.stdout).toMatch(
      /\ndeleted: 18 of the 22 rows of owner "nbgen" \(Port_Group 6 of 7, ACL 12 of 14\)\napply would refuse: over the deletion limit, more than 50% .*\(--max-delete N\|P% to change it\)\n$/,
    );
    expect((await nbgen(['diff', '-f', 'examples/underlay-service', ...db(), '--max-delete', '18'])).stdout).not.toContain('apply would refuse');

    // Within a given limit it goes ahead: 18 of 22 rows is 82%.
    expect((await nbgen(['apply', '-f', 'examples/underlay-service', ...db(), '--max-delete', '81%'])).code).toBe(2);
    const done = await nbgen(['apply', '-f', 'examples/underlay-service', ...db(), '--max-delete', '82%']);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^Port_Group: 0 inserted, 0 updated, 6 deleted$/m);
  });

  it('refuses input that compiles to no row at all (only pods), even for a small owner', async () => {
    expect((await nbgen(['apply', '-f', 'examples/underlay-service', ...db()])).code).toBe(0);
    const before = await canonicalDump(reader);
    const out = await nbgen(['apply', '-f', 'examples/underlay-service/cluster.yaml', ...db()]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^nbgen: refusing to delete (\d+) of the \1 rows of owner "nbgen" \(.*; none would be left\): over the deletion limit/);
    expect(await canonicalDump(reader)).toEqual(before);
  });
});

describe('nbgen delete', () => {
  it('removes every row of the owner and nothing else; --dry-run and a second run change nothing', async () => {
    const empty = await canonicalDump(reader);
    expect((await nbgen(['apply', '-f', 'examples/underlay-service', ...db()])).code).toBe(0);
    const applied = await canonicalDump(reader);

    const dry = await nbgen(['delete', '--owner', 'nbgen', ...db(), '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^- Port_Group np\.shop\.client_egress$/m);
    expect(dry.stdout).toContain('(dry run: nothing written)');
    expect(await canonicalDump(reader)).toEqual(applied);

    const removed = await nbgen(['delete', '--owner', 'nbgen', ...db()]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/^Port_Group: 0 inserted, 0 updated, 1 deleted$/m);
    expect(removed.stdout).toMatch(/^committed: \d+ operations in 1 transaction$/m);
    expect(await canonicalDump(reader)).toEqual(empty);
    expect(await nbgen(['delete', '--owner', 'nbgen', ...db()])).toEqual({ code: 0, stdout: 'no changes\n', stderr: '' });
  });

  it('--script prints a script that does the same', async () => {
    const empty = await canonicalDump(reader);
    expect((await nbgen(['apply', '-f', 'examples/underlay-service', ...db()])).code).toBe(0);
    const script = await nbgen(['delete', '--owner', 'nbgen', '--script']);
    expect(runScript(script.stdout)).toEqual({ status: 0, stderr: 'nbgen: owner nbgen: written in 1 transaction(s)\n' });
    expect(await canonicalDump(reader)).toEqual(empty);
  });
});
