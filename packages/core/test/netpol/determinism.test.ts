import { describe, expect, it } from 'vitest';
import { cluster } from './fixture.js';
import { compileYaml, docs, policy } from './helpers.js';

/** Policies of every shape the compiler knows, to shuffle together with the cluster. */
const policies = [
  policy('prod', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  policy('prod', 'web', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [
      { from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }, { podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 'http' }] },
      { from: [{ ipBlock: { cidr: '10.0.0.1/8', except: ['10.1.0.0/16'] } }] },
    ],
  }),
  policy('prod', 'client', {
    podSelector: { matchLabels: { app: 'client' } },
    egress: [
      { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }, { port: 443, endPort: 445 }] },
      { ports: [{ port: 'dns', protocol: 'UDP' }] },
    ],
  }),
  policy('dev', 'tool', { podSelector: { matchLabels: { app: 'tool' } }, ingress: [{ from: [{ podSelector: {} }] }], egress: [{}] }),
  policy('dev', 'host-bits', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'fd00::1/64' } }] }] }),
];
const documents = [...cluster.split('\n---\n'), ...policies];

/** Seeded Fisher-Yates, so a failure can be reproduced. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('determinism', () => {
  it('gives byte-identical rows and warnings whatever the order of the input objects', () => {
    const options = { alwaysAllowCidrs: ['100.64.0.0/16'], logging: { 'prod/web': { severity: 'info' as const, meter: null } } };
    const serialize = (text: string) => {
      const { rows, warnings } = compileYaml(text, options);
      // Sources differ with the order (document index), the rest must not.
      return JSON.stringify({ rows, warnings: warnings.map((w) => [w.code, w.path, w.message]) });
    };
    const reference = serialize(docs(...documents));
    expect(reference).toContain('np.prod.web');
    for (const seed of [1, 2, 3, 42, 2026]) {
      expect(serialize(docs(...shuffled(documents, seed)))).toBe(reference);
    }
  });
});
