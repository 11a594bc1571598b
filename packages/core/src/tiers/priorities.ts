import type { Capabilities } from '../capabilities.js';
import { InputError } from '../errors.js';
import { NETWORK_POLICY_PRIORITY_BAND, NETWORK_POLICY_TIER } from '../netpol/priorities.js';
import { tieredPolicyKey, type RuleDirection, type TierName, type TieredPolicy, type TieredRule } from './tieredPolicy.js';

/**
 * Where tiered rules sit in OVN's ACL order.
 *
 * With ACL tiers (OVN >= 23.06) OVN evaluates tier 1, then 2, then 3 within each ACL stage, and
 * `pass` moves on to the next tier; NetworkPolicy rows live in tier 2 (Kube-OVN's layout), so
 * Admin is tier 1 and Baseline tier 3, each with the whole priority range 0..32767 to itself.
 *
 * Without tiers (OVN 23.03) there is one priority space per stage: the Admin band sits above the
 * NetworkPolicy band (2000..2002) and the Baseline band below it:
 *
 *     32767 ┐ Admin     (30765 priorities)
 *      2003 ┘
 *      2002 ┐ NetworkPolicy (always-allow 2002, allow 2001, default drop 2000)
 *      2000 ┘
 *      1999 ┐ Baseline  (2000 priorities)
 *         0 ┘
 *
 * Priorities are dense ranks: every rule of the tier, in evaluation order (policy priority
 * ascending, then name, then kind; rules in written order), takes the next priority down from the
 * top of its band. Ranks are computed separately per direction (ingress rows are to-lport, egress
 * rows from-lport: different ACL stages). A rule's rows (IPv4, IPv6) share its priority. Ranks are
 * the same in both modes, so a row's priority never depends on the target OVN unless the band
 * forces it to, and Pass rules take a rank even without tiers (where they emit no row).
 */
export interface PriorityBand {
  /** ACL `tier`, or null when the target OVN has no tiers. */
  readonly tier: number | null;
  /** Priority of the first rule evaluated. */
  readonly top: number;
  /** Lowest usable priority. */
  readonly bottom: number;
}

/** OVN's ACL priority range (ovn-nb(5): 0..32767). */
export const MAX_ACL_PRIORITY = 32767;

export const TIER_NUMBERS: Readonly<Record<TierName, number>> = Object.freeze({ Admin: 1, Baseline: 3 });

// The tiers straddle NetworkPolicy's; keep that true if NetworkPolicy's tier ever moves.
if (!(TIER_NUMBERS.Admin < NETWORK_POLICY_TIER && NETWORK_POLICY_TIER < TIER_NUMBERS.Baseline)) {
  throw new Error('internal: NetworkPolicy tier must lie between the Admin and Baseline tiers');
}

export function bandFor(tier: TierName, capabilities: Capabilities): PriorityBand {
  if (capabilities.aclTier) return { tier: TIER_NUMBERS[tier], top: MAX_ACL_PRIORITY, bottom: 0 };
  return tier === 'Admin'
    ? { tier: null, top: MAX_ACL_PRIORITY, bottom: NETWORK_POLICY_PRIORITY_BAND.max + 1 }
    : { tier: null, top: NETWORK_POLICY_PRIORITY_BAND.min - 1, bottom: 0 };
}

/** One rule with its place in the evaluation order of its tier and direction. */
export interface RankedRule {
  readonly policy: TieredPolicy;
  readonly direction: RuleDirection;
  readonly index: number;
  readonly rule: TieredRule;
  /** 0 for the first rule evaluated in this tier and direction. */
  readonly rank: number;
  readonly priority: number;
  readonly tier: number | null;
}

/** Evaluation order of policies within one tier: priority, then name, then kind (deterministic ties). */
export function compareTieredPolicies(a: TieredPolicy, b: TieredPolicy): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

/**
 * Every rule of `policies` in `tier` and `direction`, ranked and given its priority. Throws an
 * InputError naming the first rule that does not fit the band.
 */
export function rankRules(
  policies: readonly TieredPolicy[],
  tier: TierName,
  direction: RuleDirection,
  capabilities: Capabilities,
): RankedRule[] {
  const band = bandFor(tier, capabilities);
  const ordered = policies.filter((p) => p.tier === tier).sort(compareTieredPolicies);
  const ranked: RankedRule[] = [];
  for (const policy of ordered) {
    policy[direction].forEach((rule, index) => {
      const rank = ranked.length;
      ranked.push({ policy, direction, index, rule, rank, priority: band.top - rank, tier: band.tier });
    });
  }
  const capacity = band.top - band.bottom + 1;
  if (ranked.length > capacity) {
    const first = ranked[capacity]!;
    const mode = capabilities.aclTier
      ? `ACL tier ${band.tier}`
      : `OVN without ACL tiers (before 23.06), band ${band.bottom}..${band.top}`;
    throw new InputError([
      {
        source: first.policy.source,
        path: first.rule.path,
        message:
          `${tier} tier has ${ranked.length} ${direction} rules but ${mode} holds ${capacity}; ` +
          `${tieredPolicyKey(first.policy)} and every policy after it do not fit` +
          (capabilities.aclTier ? '' : ' (target OVN >= 23.06 to give each tier the whole 0..32767 range)'),
      },
    ]);
  }
  return ranked;
}
