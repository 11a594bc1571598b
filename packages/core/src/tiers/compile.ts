import type { CompileOptions } from '../compile/options.js';
import type { CompileWarning } from '../errors.js';
import { addressSetRef, and, equalsAny, formatMatchExpr, not, or, portGroupRef, withPrintedTree, type MatchExpr } from '../match/index.js';
import type { Model } from '../model/model.js';
import type { Pod } from '../model/inventory.js';
import { limitLength } from '../naming/ovnName.js';
import { cidrsOverlap, parseCidr, type Cidr } from '../net/ip.js';
import { ownedExternalIds } from '../ownership.js';
import { AclRow, PortGroupRow, emptyNbRows, sortNbRows, type AclAction, type AddressSetRow, type NbRows } from '../rows/index.js';
import { ipField, negatedPortTerms } from './match.js';
import { namePrefixOf, tieredPolicyKey, type RuleDirection, type TierAction, type TierName, type TieredPolicy } from './tieredPolicy.js';
import { rankRules } from './priorities.js';
import { addressTestMatch, compileRule, objectRefOf, ruleRowId, subjectPortGroupName, type CompiledRule, type MatchClause, type RuleMatch } from './rules.js';
import { TierSelections } from './select.js';
import { SelectionIndex } from '../selection/index.js';

/**
 * ClusterNetworkPolicy / AdminNetworkPolicy / BaselineAdminNetworkPolicy → Port_Group,
 * Address_Set and ACL rows.
 *
 * Each direction is decided where OVN judges it: egress at the source's port (from-lport,
 * `inport == @pg`, with `apply-after-lb=true` so Service traffic is judged after DNAT, like
 * NetworkPolicy egress), ingress at the destination's port (to-lport, `outport == @pg`).
 *
 * Accept is `allow-related`: the connection is committed to conntrack, and OVN lets packets of a
 * committed connection in the reply direction (and related ICMP) through ahead of every ACL, so
 * replies pass even where a Deny or a NetworkPolicy would drop that traffic as a new connection.
 * Deny is `drop` (never `reject`: the API's conformance tests expect a timeout).
 * Pass is the `pass` action when the target has ACL tiers; without tiers it emits no row and its
 * match is excluded (`&& !(...)`) from every lower rule of its tier, so the traffic falls through
 * the rest of the tier's band to the NetworkPolicy band and then the Baseline band.
 */
export interface TieredCompileResult {
  readonly rows: NbRows;
  readonly warnings: readonly CompileWarning[];
}

const TIERS: readonly TierName[] = ['Admin', 'Baseline'];
const DIRECTIONS: readonly RuleDirection[] = ['ingress', 'egress'];

export function compileClusterPolicies(
  model: Model,
  options: CompileOptions,
  selection?: SelectionIndex,
): TieredCompileResult {
  const policies = model.clusterPolicies;
  if (policies.length === 0) return { rows: emptyNbRows, warnings: [] };
  const warnings: CompileWarning[] = [];
  const index = new TierSelections(selection ?? new SelectionIndex(model), model.nodes);
  const subjects = new Map<TieredPolicy, readonly Pod[]>(policies.map((p) => [p, index.podsSelectedBy(p.subject)]));
  const overlap = new SubjectOverlap(subjects);
  warnings.push(...priorityTieWarnings(policies, overlap));

  const portGroups = policies.map((policy) =>
    PortGroupRow({
      name: subjectPortGroupName(policy),
      ports: subjects.get(policy)!.map(options.portNameFor),
      externalIds: ownedExternalIds(options.owner, objectRefOf(policy), 'subject'),
    }),
  );
  const addressSets: AddressSetRow[] = [];
  const acls: AclRow[] = [];
  for (const tier of TIERS) {
    for (const direction of DIRECTIONS) {
      const ranked = rankRules(policies, tier, direction, options.capabilities);
      const compiled = ranked.map((r) => compileRule(r, subjects.get(r.policy)!, index, options, warnings));
      for (const c of compiled) addressSets.push(...c.addressSets);
      acls.push(...aclRowsOf(compiled, overlap, options));
    }
  }
  return { rows: sortNbRows({ ...emptyNbRows, portGroups, addressSets, acls }), warnings };
}

const ACL_ACTIONS: Readonly<Record<TierAction, AclAction>> = { Accept: 'allow-related', Deny: 'drop', Pass: 'pass' };

/** ACL rows of one tier and direction, `compiled` in evaluation order. */
function aclRowsOf(
  compiled: readonly CompiledRule[],
  overlap: SubjectOverlap,
  options: CompileOptions,
): AclRow[] {
  const rows: AclRow[] = [];
  const excludePasses = !options.capabilities.passAction;
  /** Pass rules already seen (higher in the order), when they must be excluded from lower rules. */
  const passes: CompiledRule[] = [];
  const clauses = new ClauseOverlap();
  for (const c of compiled) {
    const { policy, direction, index, rule, priority, tier } = c.ranked;
    const isPass = rule.action === 'Pass';
    if (isPass && excludePasses) {
      passes.push(c);
      continue;
    }
    const pg = subjectPortGroupName(policy);
    const portField = direction === 'ingress' ? 'outport' : 'inport';
    const logging = options.logging[tieredPolicyKey(policy)] ?? options.logging['*'] ?? null;
    for (const m of c.matches) {
      const exclusions = passes
        .filter((p) => overlap.shared(p.ranked.policy, policy) !== null)
        .flatMap((p) => p.matches.filter((pm) => pm.family === m.family).map((pm) => passExclusion(p, pm, policy, m, clauses)))
        .filter((e): e is MatchExpr => e !== null);
      const match = and([equalsAny(portField, [portGroupRef(pg)]), m.body, ...exclusions]);
      rows.push(
        withPrintedTree(AclRow({
          portGroup: pg,
          direction: direction === 'ingress' ? 'to-lport' : 'from-lport',
          priority,
          match: formatMatchExpr(match),
          action: ACL_ACTIONS[rule.action],
          name: limitLength(`${namePrefixOf(policy.kind)}/${policy.name}/${direction}/${index}`, 63),
          log: logging !== null,
          severity: logging?.severity ?? null,
          meter: logging?.meter ?? null,
          tier,
          options: direction === 'egress' ? { 'apply-after-lb': 'true' } : {},
          externalIds: ownedExternalIds(options.owner, objectRefOf(policy), ruleRowId(direction, index, `ip${m.family}`)),
        }), match, options.onMatchTree),
      );
    }
  }
  return rows;
}

/**
 * The condition that keeps a Pass rule's traffic out of a lower rule of `lower`: "not the Pass
 * match", written out by hand (see `negatedPortTerms` for why OVN's `!` cannot simply wrap a match
 * with ports). Within one policy the subject is the same port group, so the Pass body is enough.
 * Across policies the Pass applies only to its own subject pods, but OVN refuses `inport`/`outport`
 * tests under `!`
 * ("Nominal field outport may only be tested for equality"), so the subject is named by its
 * addresses instead: OVN keeps an address set `<port group>_ip4`/`_ip6` of every port group's
 * addresses, and port security pins a pod's source address (egress, `ip4.src`) while a packet
 * delivered to a pod carries its address (ingress after DNAT, `ip4.dst`).
 */
function passExclusion(
  pass: CompiledRule,
  match: RuleMatch,
  lower: TieredPolicy,
  lowerMatch: RuleMatch,
  clauses: ClauseOverlap,
): MatchExpr | null {
  const overlapping = match.clauses.filter((p) => lowerMatch.clauses.some((l) => !clauses.disjoint(p, l)));
  if (overlapping.length === 0) return null;
  const outside = and(overlapping.map(negatedClause));
  if (pass.ranked.policy === lower) return outside;
  const side = pass.ranked.direction === 'ingress' ? 'dst' : 'src';
  const subject = equalsAny(ipField(match.family, side), [addressSetRef(`${subjectPortGroupName(pass.ranked.policy)}_ip${match.family}`)]);
  return or([not(subject), outside]);
}

/** Not this clause: some address test fails, or the packet is outside its port alternatives. */
function negatedClause(clause: MatchClause): MatchExpr {
  return or([
    ...clause.addresses.map((t) => not(addressTestMatch(t))),
    ...(clause.ports === null ? [] : negatedPortTerms(clause.ports)),
  ]);
}

/**
 * Tells when no packet can match both clauses, as far as compile time can tell: their ports name
 * no common protocol, or they test one address field against sets with nothing in common. A Pass
 * clause disjoint from every clause of a lower rule needs no exclusion there (fewer negated sets
 * for ovn-controller to expand). Parses each set once per compile.
 */
class ClauseOverlap {
  private readonly parsed = new Map<readonly string[], { hosts: ReadonlySet<string>; cidrs: readonly Cidr[] | null }>();

  disjoint(a: MatchClause, b: MatchClause): boolean {
    if (a.ports !== null && b.ports !== null) {
      const protocols = new Set(a.ports.map((p) => p.protocol));
      if (!b.ports.some((p) => protocols.has(p.protocol))) return true;
    }
    return a.addresses.some((t) => b.addresses.some((u) => t.field === u.field && !this.valuesOverlap(t.values, u.values)));
  }

  private valuesOverlap(a: readonly string[], b: readonly string[]): boolean {
    if (a === b) return a.length > 0;
    const pa = this.parse(a);
    const pb = this.parse(b);
    if (pa.cidrs === null && pb.cidrs === null) {
      const [small, large] = pa.hosts.size <= pb.hosts.size ? [pa.hosts, pb.hosts] : [pb.hosts, pa.hosts];
      for (const v of small) if (large.has(v)) return true;
      return false;
    }
    const ca = pa.cidrs ?? a.map((v) => parseCidr(v)!);
    const cb = pb.cidrs ?? b.map((v) => parseCidr(v)!);
    return ca.some((x) => cb.some((y) => cidrsOverlap(x, y)));
  }

  /** Bare addresses as a set; `cidrs` only when some entry is a CIDR. */
  private parse(values: readonly string[]): { hosts: ReadonlySet<string>; cidrs: readonly Cidr[] | null } {
    let hit = this.parsed.get(values);
    if (hit === undefined) {
      const cidrs = values.some((v) => v.includes('/')) ? values.map((v) => parseCidr(v)!) : null;
      hit = { hosts: new Set(values), cidrs };
      this.parsed.set(values, hit);
    }
    return hit;
  }
}

/** Whether two policies' subjects share a pod (a pod they share), memoized per pair. */
class SubjectOverlap {
  private readonly sets = new Map<TieredPolicy, ReadonlySet<Pod>>();
  private readonly pairs = new Map<TieredPolicy, Map<TieredPolicy, Pod | null>>();

  constructor(private readonly subjects: ReadonlyMap<TieredPolicy, readonly Pod[]>) {}

  shared(a: TieredPolicy, b: TieredPolicy): Pod | null {
    let row = this.pairs.get(a);
    if (row === undefined) this.pairs.set(a, (row = new Map()));
    let hit = row.get(b);
    if (hit === undefined) {
      let set = this.sets.get(b);
      if (set === undefined) this.sets.set(b, (set = new Set(this.subjects.get(b))));
      hit = this.subjects.get(a)!.find((p) => set.has(p)) ?? null;
      row.set(b, hit);
    }
    return hit;
  }
}

/**
 * The API leaves the order of two same-tier, same-priority policies that could match the same
 * connection to the implementation. We order them by name (deterministic) and say so when their
 * subjects share a pod and both have rules in a common direction.
 */
function priorityTieWarnings(
  policies: readonly TieredPolicy[],
  overlap: SubjectOverlap,
): CompileWarning[] {
  const warnings: CompileWarning[] = [];
  const sorted = [...policies].sort((a, b) => (tieredPolicyKey(a) < tieredPolicyKey(b) ? -1 : 1));
  for (const [i, a] of sorted.entries()) {
    for (const b of sorted.slice(i + 1)) {
      if (a.tier !== b.tier || a.priority !== b.priority) continue;
      const direction = DIRECTIONS.find((d) => a[d].length > 0 && b[d].length > 0);
      if (direction === undefined) continue;
      const shared = overlap.shared(a, b);
      if (shared === null) continue;
      const [first, second] = a.name < b.name || (a.name === b.name && a.kind < b.kind) ? [a, b] : [b, a];
      warnings.push({
        code: 'TIER_PRIORITY_TIE',
        source: second.source,
        path: 'spec.priority',
        message:
          `${tieredPolicyKey(a)} and ${tieredPolicyKey(b)} share ${a.tier} priority ${a.priority} and both apply ` +
          `${direction} rules to pod ${shared.namespace}/${shared.name}; ${tieredPolicyKey(first)} is evaluated first (by name)`,
      });
    }
  }
  return warnings;
}
