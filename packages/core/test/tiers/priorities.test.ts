import { describe, expect, it } from 'vitest';
import { capabilitiesForOvnVersion } from '../../src/capabilities.js';
import { InputError } from '../../src/errors.js';
import { rankRules } from '../../src/tiers/priorities.js';
import { anp, banp, cnp, modelOf } from './fixtures.js';

const bands = capabilitiesForOvnVersion('23.03');
const tiers = capabilitiesForOvnVersion('25.03');
const allNs = { namespaces: {} };
const deny = (n: number) => Array.from({ length: n }, () => ({ action: 'Deny', from: [{ namespaces: {} }] }));

/** `kind/name#rule -> priority (tier)` for every ranked rule, in evaluation order. */
function plan(docs: string[], tier: 'Admin' | 'Baseline', caps = bands, direction: 'ingress' | 'egress' = 'ingress'): string[] {
  return rankRules(modelOf(...docs).clusterPolicies, tier, direction, caps).map(
    (r) => `${r.policy.name}#${r.index} ${r.priority}${r.tier === null ? '' : ` t${r.tier}`}`,
  );
}

describe('priority planning: dense ranks inside bands', () => {
  it('ranks policies by priority with no gaps, whatever the priority values', () => {
    const docs = [
      cnp('last', { tier: 'Admin', priority: 1000, subject: allNs, ingress: deny(1) }),
      cnp('first', { tier: 'Admin', priority: 0, subject: allNs, ingress: deny(2) }),
      anp('middle', { priority: 500, subject: allNs, ingress: deny(1) }),
    ];
    expect(plan(docs, 'Admin')).toEqual(['first#0 32767', 'first#1 32766', 'middle#0 32765', 'last#0 32764']);
    expect(plan(docs, 'Admin', tiers)).toEqual(['first#0 32767 t1', 'first#1 32766 t1', 'middle#0 32765 t1', 'last#0 32764 t1']);
  });

  it('orders same-priority policies by name, then kind, and keeps written rule order', () => {
    const docs = [
      cnp('b', { tier: 'Admin', priority: 5, subject: allNs, ingress: deny(2) }),
      anp('a', { priority: 5, subject: allNs, ingress: deny(1) }),
      cnp('a', { tier: 'Admin', priority: 5, subject: allNs, ingress: deny(1) }),
    ];
    const ranked = rankRules(modelOf(...docs).clusterPolicies, 'Admin', 'ingress', bands);
    expect(ranked.map((r) => `${r.policy.kind}/${r.policy.name}#${r.index}@${r.priority}`)).toEqual([
      'AdminNetworkPolicy/a#0@32767',
      'ClusterNetworkPolicy/a#0@32766',
      'ClusterNetworkPolicy/b#0@32765',
      'ClusterNetworkPolicy/b#1@32764',
    ]);
  });

  it('puts the Baseline band below NetworkPolicy (2000..2002) without tiers, and the BANP after Baseline CNPs', () => {
    const docs = [banp({ subject: allNs, ingress: deny(2) }), cnp('base', { tier: 'Baseline', priority: 1000, subject: allNs, ingress: deny(1) })];
    expect(plan(docs, 'Baseline')).toEqual(['base#0 1999', 'default#0 1998', 'default#1 1997']);
    expect(plan(docs, 'Baseline', tiers)).toEqual(['base#0 32767 t3', 'default#0 32766 t3', 'default#1 32765 t3']);
  });

  it('ranks ingress and egress separately (different ACL stages)', () => {
    const docs = [
      cnp('p', { tier: 'Admin', priority: 1, subject: allNs, ingress: deny(2), egress: [{ action: 'Deny', to: [{ namespaces: {} }] }] }),
    ];
    expect(plan(docs, 'Admin', bands, 'egress')).toEqual(['p#0 32767']);
  });

  it('fits the largest legal policies: 25 rules per CNP, 100 per ANP, priorities 0 and 1000', () => {
    const docs = [
      ...Array.from({ length: 100 }, (_, i) => cnp(`c${i}`, { tier: 'Admin', priority: i * 10, subject: allNs, ingress: deny(25) })),
      ...Array.from({ length: 100 }, (_, i) => anp(`a${i}`, { priority: 1000 - i, subject: allNs, ingress: deny(100) })),
    ];
    const ranked = rankRules(modelOf(...docs).clusterPolicies, 'Admin', 'ingress', bands);
    expect(ranked).toHaveLength(12500);
    expect(new Set(ranked.map((r) => r.priority)).size).toBe(12500);
    expect(Math.min(...ranked.map((r) => r.priority))).toBe(32767 - 12499);
  });

  it('fails with the policy that no longer fits when a band overflows, and fits with tiers', () => {
    // 81 Baseline CNPs x 25 rules = 2025 > the 2000 priorities below the NetworkPolicy band.
    const docs = Array.from({ length: 81 }, (_, i) =>
      cnp(`base-${String(i).padStart(2, '0')}`, { tier: 'Baseline', priority: 1, subject: allNs, ingress: deny(25) }),
    );
    const policies = modelOf(...docs).clusterPolicies;
    expect(() => rankRules(policies, 'Baseline', 'ingress', bands)).toThrowError(InputError);
    expect(() => rankRules(policies, 'Baseline', 'ingress', bands)).toThrowError(
      'test.yaml#80 spec.ingress[0]: Baseline tier has 2025 ingress rules but OVN without ACL tiers (before 23.06), band 0..1999 holds 2000; ' +
        'ClusterNetworkPolicy/base-80 and every policy after it do not fit (target OVN >= 23.06 to give each tier the whole 0..32767 range)',
    );
    expect(rankRules(policies, 'Baseline', 'ingress', tiers)).toHaveLength(2025);
  });
});
