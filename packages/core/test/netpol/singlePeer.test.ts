import { describe, expect, it } from 'vitest';
import { cluster } from './fixture.js';
import { compileYaml, docs, policy } from './helpers.js';

// A rule with one selector peer skips rulePeers' de-duplication (netpol/rules.ts): it must give
// the rows a rule naming that peer twice gives, which goes the general way.
const peers = [
  { podSelector: { matchLabels: { app: 'client' } } },
  { namespaceSelector: { matchLabels: { team: 'b' } } },
  { namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } },
  { podSelector: {} },
];

describe('a rule with one selector peer', () => {
  it.each(peers)('compiles to the rows of the same rule with the peer written twice: %j', (peer) => {
    const web = (written: object[]) =>
      compileYaml(
        docs(
          cluster,
          policy('prod', 'web', {
            podSelector: { matchLabels: { app: 'web' } },
            policyTypes: ['Ingress', 'Egress'],
            ingress: [{ from: written, ports: [{ port: 80 }] }],
            egress: [{ to: written }],
          }),
        ),
      );
    const once = web([peer]);
    const twice = web([peer, peer]);
    expect(once.rows.acls.length).toBeGreaterThan(2);
    expect(once).toStrictEqual(twice);
  });
});
