import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NbRows } from '../../src/index.js';
import { cluster } from './fixture.js';
import { compileYaml, docs, policy } from './helpers.js';

/**
 * Properties every compile must have, over random policies on the fixture cluster: references
 * resolve to emitted, non-empty rows; no match compares with an empty set; `&&` and `||` are
 * never mixed without parentheses (OVN rejects that); egress rows apply after load balancing;
 * each isolated direction has exactly one default drop; row ids are unique per policy.
 */
const labels = fc.constantFrom('app', 'tier', 'team', 'kubernetes.io/metadata.name', 'k8s-app');
const values = fc.constantFrom('web', 'db', 'client', 'tool', 'frontend', 'backend', 'a', 'b', 'prod', 'dev', 'kube-system', 'kube-dns');
const selector = fc.record(
  {
    matchLabels: fc.dictionary(labels, values, { maxKeys: 2 }),
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({ key: labels, operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(values, { minLength: 1, maxLength: 2 }) }),
        fc.record({ key: labels, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);
const ipBlock = fc.oneof(
  fc.constant({ cidr: '10.0.0.0/16', except: ['10.0.2.0/24'] }),
  fc.constant({ cidr: '10.0.1.0/24' }),
  fc.constant({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.0.0/16'] }),
  fc.constant({ cidr: 'fd00::/16', except: ['fd00::2:0/112'] }),
  fc.constant({ cidr: '::/0' }),
);
const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: selector }),
  fc.record({ namespaceSelector: selector, podSelector: selector }),
  fc.record({ ipBlock }),
);
const port = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'), port: fc.integer({ min: 1, max: 65535 }) }),
  fc.record({ port: fc.constantFrom('http', 'metrics', 'sql', 'dns', 'dns-tcp', 'absent') }, { requiredKeys: ['port'] }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constant(8000), endPort: fc.integer({ min: 8000, max: 8100 }) }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') }),
);
const rule = (key: 'from' | 'to') =>
  fc.record({ [key]: fc.array(peer, { maxLength: 3 }), ports: fc.array(port, { maxLength: 3 }) }, { requiredKeys: [] });
const spec = fc.record(
  {
    podSelector: selector,
    policyTypes: fc.subarray(['Ingress', 'Egress']),
    ingress: fc.array(rule('from'), { maxLength: 3 }),
    egress: fc.array(rule('to'), { maxLength: 3 }),
  },
  { requiredKeys: ['podSelector'] },
);
const policies = fc.array(fc.tuple(fc.constantFrom('prod', 'dev', 'kube-system'), spec), { minLength: 1, maxLength: 4 });

/** True when some parenthesis level holds both `&&` and `||`. */
function mixesWithoutParentheses(match: string): boolean {
  const ops: Set<string>[] = [new Set()];
  for (let i = 0; i < match.length; i++) {
    const c = match[i];
    if (c === '(') ops.push(new Set());
    else if (c === ')') {
      if (ops.pop()!.size > 1) return true;
    } else if ((c === '&' || c === '|') && match[i + 1] === c) {
      ops.at(-1)!.add(c);
      i++;
    }
  }
  return ops[0]!.size > 1;
}

function violations(rows: NbRows): string[] {
  const out: string[] = [];
  const sets = new Map(rows.addressSets.map((s) => [s.name, s]));
  const groups = new Set(rows.portGroups.map((pg) => pg.name));
  const rowIds = new Set<string>();
  const drops = new Map<string, number>();
  for (const acl of rows.acls) {
    for (const [, name] of acl.match.matchAll(/\$([A-Za-z0-9_.]+)/g)) {
      if (!sets.has(name!)) out.push(`unknown set ${name} in ${acl.match}`);
      else if (sets.get(name!)!.addresses.length === 0) out.push(`empty set ${name} referenced`);
    }
    for (const [, name] of acl.match.matchAll(/@([A-Za-z0-9_.]+)/g)) if (!groups.has(name!)) out.push(`unknown port group ${name}`);
    if (!groups.has(acl.portGroup)) out.push(`ACL on unknown port group ${acl.portGroup}`);
    if (/\{\s*\}/.test(acl.match)) out.push(`empty set literal in ${acl.match}`);
    if (mixesWithoutParentheses(acl.match)) out.push(`&& and || mixed without parentheses: ${acl.match}`);
    if (acl.direction === 'from-lport' && acl.options['apply-after-lb'] !== 'true') out.push(`egress ACL without apply-after-lb: ${acl.match}`);
    if ((acl.name ?? '').length > 63) out.push(`ACL name too long: ${acl.name}`);
    const id = `${acl.externalIds['nbgen/namespace']}/${acl.externalIds['nbgen/name']} ${acl.externalIds['nbgen/rule']}`;
    if (rowIds.has(id)) out.push(`row id twice: ${id}`);
    rowIds.add(id);
    if (acl.action === 'drop') drops.set(`${acl.portGroup} ${acl.direction}`, (drops.get(`${acl.portGroup} ${acl.direction}`) ?? 0) + 1);
  }
  for (const [key, n] of drops) if (n !== 1) out.push(`${n} drops for ${key}`);
  for (const name of [...groups, ...sets.keys()]) if (!/^[a-zA-Z_.][a-zA-Z_.0-9]*$/.test(name)) out.push(`invalid name ${name}`);
  return out;
}

describe('compile invariants (random policies)', () => {
  it('every reference resolves, no empty-set comparison, valid match grammar, one drop per isolated direction', () => {
    fc.assert(
      fc.property(policies, (list) => {
        const text = docs(cluster, ...list.map(([ns, s], i) => policy(ns, `p${i}`, s)));
        const first = compileYaml(text);
        expect(violations(first.rows)).toEqual([]);
        expect(JSON.stringify(compileYaml(text).rows)).toBe(JSON.stringify(first.rows));
        const isolated = list.flatMap(([ns, s], i) =>
          // Kubernetes defaulting: an absent or empty list means Ingress, plus Egress with egress rules.
          (s.policyTypes?.length ? s.policyTypes : s.egress?.length ? ['Ingress', 'Egress'] : ['Ingress']).map((t) => `np.${ns.replaceAll('-', '_')}.p${i} ${t === 'Ingress' ? 'to-lport' : 'from-lport'}`),
        );
        const dropped = first.rows.acls.filter((a) => a.action === 'drop').map((a) => `${a.portGroup} ${a.direction}`);
        expect(dropped.sort()).toEqual([...new Set(isolated)].sort());
      }),
      { numRuns: 150, seed: 20261123 },
    );
  });
});
