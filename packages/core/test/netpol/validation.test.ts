import { describe, expect, it } from 'vitest';
import { InputError, loadModel } from '../../src/index.js';
import { docs, policy } from './helpers.js';

/** The InputError text for manifests that must be rejected (file#doc path: message lines). */
function rejection(text: string): string {
  try {
    loadModel([{ name: 'policies.yaml', text }]);
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error('expected the manifests to be rejected');
}

const ok = policy('prod', 'ok', { podSelector: {} });

describe('NetworkPolicy validation', () => {
  it('rejects endPort below port, naming file, document and field path', () => {
    const bad = policy('prod', 'web', { egress: [{ ports: [{ port: 443 }, { port: 80, endPort: 79 }] }] });
    expect(rejection(docs(ok, ok.replace('"ok"', '"ok2"'), bad))).toBe(
      'policies.yaml#2 spec.egress[0].ports[1].endPort: must be >= port (80)',
    );
  });

  it('rejects endPort without a port and with a named port', () => {
    const bad = policy('prod', 'web', { ingress: [{ ports: [{ endPort: 90 }, { port: 'http', endPort: 90 }] }] });
    expect(rejection(bad)).toBe(
      [
        'policies.yaml#0 spec.ingress[0].ports[0].endPort: requires a numeric port',
        'policies.yaml#0 spec.ingress[0].ports[1].endPort: requires a numeric port, found named port "http"',
      ].join('\n'),
    );
  });

  it('rejects ports outside 1..65535', () => {
    const bad = policy('prod', 'web', { ingress: [{ ports: [{ port: 0 }, { port: 65536 }, { port: 80, endPort: 70000 }] }] });
    expect(rejection(bad)).toBe(
      [
        'policies.yaml#0 spec.ingress[0].ports[0].port: must be between 1 and 65535',
        'policies.yaml#0 spec.ingress[0].ports[1].port: must be between 1 and 65535',
        'policies.yaml#0 spec.ingress[0].ports[2].endPort: must be between 1 and 65535',
      ].join('\n'),
    );
  });

  it('rejects more than two policyTypes', () => {
    const bad = policy('prod', 'web', { policyTypes: ['Ingress', 'Egress', 'Ingress'] });
    expect(rejection(bad)).toBe('policies.yaml#0 spec.policyTypes: may not specify more than two policyTypes');
  });

  it('rejects unknown protocols and policyTypes', () => {
    const bad = policy('prod', 'web', { policyTypes: ['Ingress', 'Outgress'], ingress: [{ ports: [{ protocol: 'ICMP', port: 1 }] }] });
    expect(rejection(bad)).toBe(
      [
        'policies.yaml#0 spec.policyTypes[1]: must be Ingress or Egress',
        'policies.yaml#0 spec.ingress[0].ports[0].protocol: must be TCP, UDP or SCTP',
      ].join('\n'),
    );
  });

  it('rejects named ports that are not IANA service names', () => {
    const names = ['http-metrics-port', 'HTTP', '8080', 'a--b', '-web', 'web_1'];
    const bad = policy('prod', 'web', { ingress: [{ ports: names.map((port) => ({ port })) }] });
    expect(rejection(bad)).toBe(
      [
        'policies.yaml#0 spec.ingress[0].ports[0].port: named port must be no more than 15 characters',
        'policies.yaml#0 spec.ingress[0].ports[1].port: named port must contain only lowercase letters, digits and hyphens',
        'policies.yaml#0 spec.ingress[0].ports[2].port: named port must contain at least one letter',
        'policies.yaml#0 spec.ingress[0].ports[3].port: named port must not contain consecutive hyphens',
        'policies.yaml#0 spec.ingress[0].ports[4].port: named port must not begin or end with a hyphen',
        'policies.yaml#0 spec.ingress[0].ports[5].port: named port must contain only lowercase letters, digits and hyphens',
      ].join('\n'),
    );
  });

  it('rejects bad CIDRs and excepts that are not strict subsets of the cidr', () => {
    const bad = policy('prod', 'web', {
      ingress: [
        {
          from: [
            { ipBlock: { cidr: '10.0.0.0' } },
            { ipBlock: { cidr: '10.0.0.0/33' } },
            { ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16', '10.0.0.0/8', 'fd00::/64', 'nonsense'] } },
          ],
        },
      ],
    });
    expect(rejection(bad)).toBe(
      [
        'policies.yaml#0 spec.ingress[0].from[0].ipBlock.cidr: must be a CIDR such as 10.0.0.0/8 or fd00::/64, found "10.0.0.0"',
        'policies.yaml#0 spec.ingress[0].from[1].ipBlock.cidr: must be a CIDR such as 10.0.0.0/8 or fd00::/64, found "10.0.0.0/33"',
        'policies.yaml#0 spec.ingress[0].from[2].ipBlock.except[3]: must be a CIDR such as 10.0.0.0/8 or fd00::/64, found "nonsense"',
        'policies.yaml#0 spec.ingress[0].from[2].ipBlock.except[0]: must be a strict subset of cidr (10.0.0.0/8)',
        'policies.yaml#0 spec.ingress[0].from[2].ipBlock.except[1]: must be a strict subset of cidr (10.0.0.0/8)',
        'policies.yaml#0 spec.ingress[0].from[2].ipBlock.except[2]: must be a strict subset of cidr (10.0.0.0/8)',
      ].join('\n'),
    );
  });

  it('rejects a peer combining ipBlock with a selector, and an empty peer', () => {
    const bad = policy('prod', 'web', {
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' }, namespaceSelector: {} }, {}] }],
    });
    expect(rejection(bad)).toBe(
      [
        'policies.yaml#0 spec.egress[0].to[0].ipBlock: may not be combined with podSelector or namespaceSelector in one peer',
        'policies.yaml#0 spec.egress[0].to[1]: must specify podSelector, namespaceSelector or ipBlock',
      ].join('\n'),
    );
  });

  it('rejects bad selector operators and values', () => {
    const bad = policy('prod', 'web', {
      podSelector: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['a'] }] },
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In' }] } }] }],
    });
    expect(rejection(bad)).toBe(
      [
        'policies.yaml#0 spec.podSelector.matchExpressions[0].operator: operator must be one of In, NotIn, Exists, DoesNotExist',
        'policies.yaml#0 spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values: must be non-empty for operator In',
      ].join('\n'),
    );
  });

  it('rejects misspelt fields instead of reading them as "allow from everywhere"', () => {
    const bad = policy('prod', 'web', { ingress: [{ form: [{ podSelector: {} }] }] });
    expect(rejection(bad)).toBe('policies.yaml#0 spec.ingress[0]: Unrecognized key: "form"');
  });

  it('rejects two NetworkPolicies with the same namespace and name, naming the first', () => {
    const again = policy('prod', 'ok', { podSelector: { matchLabels: { app: 'x' } } });
    const other = policy('dev', 'ok', { podSelector: {} });
    expect(rejection(docs(ok, other, again))).toBe(
      'policies.yaml#2 metadata.name: duplicate NetworkPolicy prod/ok (first defined at policies.yaml#0)',
    );
  });

  it('reports items of a kubectl List with their item path', () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [JSON.parse(ok), JSON.parse(policy('prod', 'web', { ingress: [{ ports: [{ port: 'a b' }] }] }))],
    });
    expect(rejection(list)).toBe(
      'policies.yaml#0 items[1].spec.ingress[0].ports[0].port: named port must contain only lowercase letters, digits and hyphens',
    );
  });
});

describe('NetworkPolicy defaulting', () => {
  const load = (spec: object) => loadModel([{ name: 'p.yaml', text: policy('prod', 'p', spec) }]).model.networkPolicies[0]!;

  it('defaults an absent or empty policyTypes to Ingress, plus Egress when there is an egress rule', () => {
    expect(load({ podSelector: {} }).policyTypes).toEqual(['Ingress']);
    expect(load({ podSelector: {}, policyTypes: [] }).policyTypes).toEqual(['Ingress']);
    expect(load({ podSelector: {}, egress: [] }).policyTypes).toEqual(['Ingress']);
    expect(load({ podSelector: {}, egress: [{}] }).policyTypes).toEqual(['Ingress', 'Egress']);
    expect(load({ podSelector: {}, policyTypes: [], egress: [{}] }).policyTypes).toEqual(['Ingress', 'Egress']);
    expect(load({ podSelector: {}, policyTypes: ['Egress'] }).policyTypes).toEqual(['Egress']);
    expect(load({ podSelector: {}, policyTypes: ['Egress', 'Ingress'] }).policyTypes).toEqual(['Ingress', 'Egress']);
  });

  it('reads a policy without spec as an empty spec: every pod of the namespace, ingress isolated', () => {
    const text = JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'prod' } });
    const p = loadModel([{ name: 'p.yaml', text }]).model.networkPolicies[0]!;
    expect([p.podSelector, p.policyTypes, p.ingress, p.egress]).toEqual([{}, ['Ingress'], [], []]);
  });

  it('defaults the port protocol to TCP and folds endPort == port into a single port', () => {
    expect(load({ ingress: [{ ports: [{ port: 80 }, { protocol: 'UDP' }, { port: 53, endPort: 53 }] }] }).ingress).toEqual([
      {
        peers: [],
        ports: [
          { protocol: 'TCP', port: 80, endPort: null },
          { protocol: 'UDP', port: null, endPort: null },
          { protocol: 'TCP', port: 53, endPort: null },
        ],
      },
    ]);
  });

  it('normalizes a CIDR with host bits to canonical form and records a warning', () => {
    const p = load({ egress: [{ to: [{ ipBlock: { cidr: '10.1.2.3/16', except: ['10.1.2.3/24'] } }] }] });
    expect(p.egress[0]!.peers).toEqual([{ type: 'ipBlock', cidr: '10.1.0.0/16', except: ['10.1.2.0/24'] }]);
    expect(p.inputWarnings).toEqual([
      {
        code: 'NP_CIDR_HOST_BITS',
        source: { file: 'p.yaml', doc: 0 },
        path: 'spec.egress[0].to[0].ipBlock.cidr',
        message: '10.1.2.3/16 has host bits set; using 10.1.0.0/16',
      },
      {
        code: 'NP_CIDR_HOST_BITS',
        source: { file: 'p.yaml', doc: 0 },
        path: 'spec.egress[0].to[0].ipBlock.except[0]',
        message: '10.1.2.3/24 has host bits set; using 10.1.2.0/24',
      },
    ]);
  });

  it('names the rule and peer of a CIDR with host bits in either direction', () => {
    const web = { podSelector: { matchLabels: { app: 'web' } } };
    const p = load({
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [web] }, { from: [web, { ipBlock: { cidr: '10.0.0.1/8' } }] }],
      egress: [{ to: [web] }, { to: [web] }, { to: [{ ipBlock: { cidr: 'fd00::1/64' } }] }],
    });
    expect(p.inputWarnings.map((w) => w.path)).toEqual(['spec.ingress[1].from[1].ipBlock.cidr', 'spec.egress[2].to[0].ipBlock.cidr']);
  });

  it('warns when rules are given for a direction policyTypes leaves out', () => {
    const p = load({ policyTypes: ['Egress'], ingress: [{}] });
    expect(p.inputWarnings).toEqual([
      {
        code: 'NP_RULES_IGNORED',
        source: { file: 'p.yaml', doc: 0 },
        path: 'spec.ingress',
        message: 'policyTypes does not include Ingress, so these rules have no effect',
      },
    ]);
  });
});
