// `nbgen audit` against a real ovsdb-server: an NB written by `nbgen apply` from the manifests
// agrees with them (exit 0); each of three planted divergences is found and explained (exit 1):
// a missing allow rule, an ipBlock except leaking onto a selector peer, a deleted policy's rows.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runNbgen } from './inProcessNbgen.js';
import { standaloneNbPerFile, tempDirPerFile } from '../../../test/harness/ovsdbServerPerFile.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const { nb, nbctl } = standaloneNbPerFile();
const inputDir = tempDirPerFile('nbgen-audit-');

const WEB_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: client}}
    - ipBlock: {cidr: 10.16.0.0/16, except: [10.16.0.16/28]}
    ports: [{protocol: TCP, port: 8000}]
`;
const STRANGER_LOCKDOWN = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: stranger-lockdown, namespace: shop}
spec:
  podSelector: {matchLabels: {app: stranger}}
  policyTypes: [Ingress]
`;

const nbgen = (argv: readonly string[]) => runNbgen(argv, { cwd: inputDir() });
const db = () => ['--db', nb().remotes.unix!];
const PORTS = [
  ['web-0.shop', '10.16.0.10'],
  ['web-1.shop', '10.16.0.11'],
  ['client.shop', '10.16.0.20'],
  ['stranger.shop', '10.16.0.21'],
  ['prometheus.monitoring', '10.16.0.30'],
] as const;

/** The web policy's allow ACL (its match names the client's address set, or the ipBlock). */
async function selectorAcl(): Promise<{ uuid: string; match: string }> {
  const csv = await nbctl('--format=csv', '--no-headings', '--data=bare', '--columns=_uuid,match', 'list', 'ACL');
  const rows = csv.trim().split('\n').map((line) => {
    const comma = line.indexOf(',');
    return { uuid: line.slice(0, comma), match: line.slice(comma + 1).replace(/^"|"$/g, '') };
  });
  const hits = rows.filter((r) => r.match.includes('tcp.dst == 8000') && r.match.includes('$'));
  expect(hits).toHaveLength(1);
  return hits[0]!;
}

beforeAll(() => {
  copyFileSync(join(repoRoot, 'examples/walkthrough/cluster.yaml'), join(inputDir(), 'cluster.yaml'));
  writeFileSync(join(inputDir(), 'web-ingress.yaml'), WEB_INGRESS);
  writeFileSync(join(inputDir(), 'stranger-lockdown.yaml'), STRANGER_LOCKDOWN);
});

beforeEach(async () => {
  for (const table of ['Port_Group', 'Address_Set', 'Logical_Switch']) {
    for (const u of (await nbctl('--bare', '--columns=_uuid', 'list', table)).split(/\s+/).filter(Boolean)) await nbctl('--if-exists', 'destroy', table, u);
  }
  await nbctl('ls-add', 'ovn-default');
  for (const [port, ip] of PORTS) await nbctl('lsp-add', 'ovn-default', port, '--', 'lsp-set-addresses', port, `0a:00:00:00:00:${ip.split('.')[3]!.padStart(2, '0')} ${ip}`);
  const applied = await nbgen(['apply', '-f', 'cluster.yaml', '-f', 'web-ingress.yaml', ...db()]);
  expect(applied.code).toBe(0);
});

describe('nbgen audit', () => {
  it('reports nothing on the NB nbgen apply wrote (exit 0)', async () => {
    const audit = await nbgen(['audit', '-f', 'cluster.yaml', '-f', 'web-ingress.yaml', ...db()]);
    expect(audit.stderr).toBe('');
    expect(audit.stdout).toMatch(/^agree: \d+ flows compared\n$/);
    expect(audit.code).toBe(0);
  });

  it('finds a missing rule: the selector peer is denied by the NB, allowed by the manifests', async () => {
    const acl = await selectorAcl();
    const pg = (await nbctl('--bare', '--columns=name', 'find', 'Port_Group', `acls{>=}${acl.uuid}`)).trim();
    await nbctl('remove', 'Port_Group', pg, 'acls', acl.uuid);
    const audit = await nbgen(['audit', '-f', 'cluster.yaml', '-f', 'web-ingress.yaml', ...db()]);
    expect(audit.code).toBe(1);
    expect(audit.stdout).toContain('shop/client -> shop/web-0 TCP 8000: NB deny, nbgen allow\n');
    expect(audit.stdout).toMatch(/  nbgen decided by: .*allow-related.*NetworkPolicy shop\/web-ingress/);
    expect(audit.stdout).toContain('10.16.0.1 -> shop/web-0 TCP 8000: NB deny, nbgen allow\n');
    expect(audit.stdout).not.toMatch(/-> shop\/web-0 TCP 81: /);
  });

  it('finds an ipBlock except leaking onto a selector peer', async () => {
    const acl = await selectorAcl();
    // The selector peer's term gets the ipBlock's except too, as a CNI joining peers wrongly would.
    const leaking = acl.match.replace(/ip4\.src == (\$\S+) \|\|/, '(ip4.src == $1 && ip4.src != 10.16.0.16/28) ||');
    expect(leaking).not.toBe(acl.match);
    await nbctl('set', 'ACL', acl.uuid, `match=${JSON.stringify(leaking)}`);
    const audit = await nbgen(['audit', '-f', 'cluster.yaml', '-f', 'web-ingress.yaml', ...db()]);
    expect(audit.code).toBe(1);
    expect(audit.stdout).toContain('shop/client -> shop/web-1 TCP 8000: NB deny, nbgen allow\n');
    expect(audit.stdout).toMatch(/^2 disagreements: \d+ flows compared\n$/m);
  });

  it("finds a deleted policy's rows left behind, named by the policy that wrote them", async () => {
    expect((await nbgen(['apply', '-f', 'cluster.yaml', '-f', 'web-ingress.yaml', '-f', 'stranger-lockdown.yaml', ...db()])).code).toBe(0);
    const audit = await nbgen(['audit', '-f', 'cluster.yaml', '-f', 'web-ingress.yaml', ...db()]);
    expect(audit.code).toBe(1);
    expect(audit.stdout).toContain('shop/client -> shop/stranger TCP 8000: NB deny, nbgen allow\n');
    expect(audit.stdout).toMatch(/  NB decided by: +to-lport NetworkPolicy shop\/stranger-lockdown rule \S+ \(nbgen\): /);
  });
});
