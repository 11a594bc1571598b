import { describe, expect, it } from 'vitest';
import type { NbRows } from '../../src/index.js';
import { cluster } from './fixture.js';
import { compileYaml, docs, policy } from './helpers.js';

/** Rows as a reviewer reads them: one line per row, every column that we set. */
function render(rows: NbRows): string {
  const ids = (e: Readonly<Record<string, string>>) => e['nbgen/rule'] ?? '-';
  return [
    ...rows.portGroups.map((pg) => `Port_Group ${pg.name} ports=[${pg.ports.join(' ')}]`),
    ...rows.addressSets.map((s) => `Address_Set ${s.name} [${s.addresses.join(' ')}] rule="${ids(s.externalIds)}"`),
    ...rows.acls.map(
      (a) =>
        `ACL ${a.portGroup} ${a.direction} ${a.priority} ${a.action} name=${a.name} rule=${ids(a.externalIds)}` +
        `${Object.keys(a.options).length ? ` options=${JSON.stringify(a.options)}` : ''}${a.log ? ` log=${a.severity}` : ''}\n    ${a.match}`,
    ),
  ].join('\n') + '\n';
}

describe('representative policies (file snapshots)', () => {
  it('default deny, namespace isolation, web allow with named port, DNS egress, ipBlock with except', async () => {
    const { rows } = compileYaml(
      docs(
        cluster,
        policy('prod', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
        policy('prod', 'allow-same-namespace', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }),
        policy('prod', 'allow-web', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } }, podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 'http' }] }],
        }),
        policy('prod', 'allow-dns', {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
              ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }],
            },
          ],
        }),
        policy('prod', 'egress-internet', {
          podSelector: { matchLabels: { app: 'db' } },
          egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }], ports: [{ port: 443 }] }],
        }),
      ),
      { alwaysAllowCidrs: ['100.64.0.0/16'], logging: { 'prod/default-deny': { severity: 'warning', meter: 'np-meter' } } },
    );
    await expect(render(rows)).toMatchFileSnapshot('__snapshots__/representative.rows.txt');
  });
});
