import type { AclLogging, CompileOptions } from '../compile/options.js';
import { CompileOptionError, type CompileWarning } from '../errors.js';
import type { Pod } from '../model/inventory.js';
import type { Model } from '../model/model.js';
import { formatCidr, parseCidr } from '../net/ip.js';
import { ownedExternalIds, type ObjectRef } from '../ownership.js';
import { AclRow, PortGroupRow, sortNbRows, type NbRows, type AddressSetRow } from '../rows/index.js';
import { SharedAddressSets } from './addressSets.js';
import { EGRESS, INGRESS } from './direction.js';
import { address, and, equalsAny, formatMatchExpr, portGroupRef, withPrintedTree, symbol, type MatchValue } from '../match/index.js';
import type { NetworkPolicy } from './networkPolicy.js';
import { aclName, policyKey, portGroupName } from './names.js';
import { PeerResolver } from './peers.js';
import { NETWORK_POLICY_PRIORITIES, NETWORK_POLICY_TIER } from './priorities.js';
import { ruleAcls, type AclSpec, type RuleScope } from './rules.js';
import { SelectionIndex } from '../selection/index.js';

/**
 * NetworkPolicy (networking.k8s.io/v1) → Port_Group, Address_Set and ACL rows.
 *
 * Per policy: a port group of the selected pods; per isolated direction a default drop (2000),
 * the rules' allows (2001) and `alwaysAllowCidrs` allows (2002). Peer pods go to address sets
 * shared by all policies (see addressSets.ts).
 *
 * Example:
 *   const { rows, warnings } = compileNetworkPolicies(loadModel(sources).model, options);
 */
export function compileNetworkPolicies(
  model: Model,
  options: CompileOptions,
  index: SelectionIndex = new SelectionIndex(model),
): { rows: NbRows; warnings: CompileWarning[] } {
  const context = policyContext(index, options);
  // Sorted so warnings and shared-set discovery do not depend on the order of the manifests; the
  // keys are made once each, not twice per comparison (10,000 policies: about 270,000 texts).
  const policies = model.networkPolicies
    .map((policy) => ({ key: policyKey(policy), policy }))
    .sort((a, b) => compareText(a.key, b.key))
    .map(({ policy }) => policy);
  const portGroups: PortGroupRow[] = [];
  const acls: AclRow[] = [];
  const warnings: CompileWarning[] = [];
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p]!;
    if (policy.inputWarnings.length > 0) warnings.push(...policy.inputWarnings);
    const compiled = compilePolicy(policy, context, warnings);
    portGroups.push(compiled.portGroup);
    for (let i = 0; i < compiled.acls.length; i++) acls.push(compiled.acls[i]!);
  }
  const rows = sortNbRows({ portGroups, addressSets: context.sets.rows(), acls, nats: [], loadBalancers: [] });
  return { rows, warnings };
}

/**
 * What compiling a policy reads besides the policy: one per compile, or per CompileSession event
 * (its caches hold selections of the index as it is now).
 */
export function policyContext(
  index: SelectionIndex,
  options: CompileOptions,
  currentSets?: (name: string) => AddressSetRow | undefined,
): PolicyContext {
  return {
    options,
    peers: new PeerResolver(index),
    sets: new SharedAddressSets(options.owner, currentSets),
    index,
    alwaysAllow: alwaysAllowByFamily(options.alwaysAllowCidrs),
    portNamesOf: portNameCache(options.portNameFor),
    loggingOf: policyLogging(options.logging),
  };
}

export interface PolicyContext {
  readonly options: CompileOptions;
  readonly index: SelectionIndex;
  readonly peers: PeerResolver;
  readonly sets: SharedAddressSets;
  readonly alwaysAllow: ReadonlyMap<4 | 6, readonly MatchValue[]>;
  /** Logical switch port names of a selection (selections are cached arrays, so is this). */
  readonly portNamesOf: (pods: readonly Pod[]) => readonly string[];
  /** The logging of a policy's ACLs (`options.logging`), or null. */
  readonly loggingOf: (policy: NetworkPolicy) => AclLogging | null;
}

/**
 * A policy's logging: its own key's, else `*`'s, else none. Without any logging (the default) no
 * `ns/name` key is made: 10,000 such texts looked up in an empty object cost about 7 ms cold.
 */
function policyLogging(logging: CompileOptions['logging']): (policy: NetworkPolicy) => AclLogging | null {
  if (Object.keys(logging).length === 0) return () => null;
  return (policy) => logging[policyKey(policy)] ?? logging['*'] ?? null;
}

function portNameCache(portNameFor: (pod: Pod) => string): (pods: readonly Pod[]) => readonly string[] {
  const cache = new WeakMap<readonly Pod[], readonly string[]>();
  return (pods) => {
    let names: readonly string[] | undefined = cache.get(pods);
    if (!names) {
      // Frozen, so a port group takes the list as its set when it is in order (rows/sortedSet.ts).
      names = Object.freeze(pods.map(portNameFor));
      cache.set(pods, names);
    }
    return names;
  };
}

const DIRECTIONS = [INGRESS, EGRESS] as const;

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One policy's port group and ACLs; the peer address sets it uses go to `context.sets`. */
export function compilePolicy(
  policy: NetworkPolicy,
  context: PolicyContext,
  warnings: CompileWarning[],
): { portGroup: PortGroupRow; acls: AclRow[] } {
  const { options } = context;
  const object: ObjectRef = { kind: 'NetworkPolicy', namespace: policy.namespace, name: policy.name };
  const selected = context.index.podsMatching(policy.namespace, policy.podSelector);
  const pgName = portGroupName(policy);
  const portGroup = PortGroupRow({
    name: pgName,
    ports: context.portNamesOf(selected),
    externalIds: ownedExternalIds(options.owner, object),
  });

  const logging = context.loggingOf(policy);
  // The ACLs of one label (a rule's ports and families) come one after another: the name of the
  // last label is kept, without a map per policy (aclName gives the same text either way).
  let lastLabel: string | null = null;
  let lastName = '';
  const rowIds = new Set<string>();
  const acls: AclRow[] = [];
  // Indexed loops: this code runs cold, where a for-of makes an iterator result per step.
  for (let d = 0; d < DIRECTIONS.length; d++) {
    const direction = DIRECTIONS[d]!;
    if (!policy.policyTypes.includes(direction.policyType)) continue;
    const scope: RuleScope = {
      policy,
      direction,
      subject: equalsAny(direction.portField, [portGroupRef(pgName)]),
      selected,
      peers: context.peers,
      sets: context.sets,
      portNameFor: options.portNameFor,
      warn: (code, path, message) => warnings.push({ code, source: policy.source, path, message }),
    };
    const rules = direction.name === 'ingress' ? policy.ingress : policy.egress;
    const specs = isolationAcls(scope);
    if (context.alwaysAllow.size > 0) specs.push(...alwaysAllowAcls(scope, context.alwaysAllow));
    for (let i = 0; i < rules.length; i++) ruleAcls(scope, rules[i]!, i, specs);
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      if (spec.label !== lastLabel) {
        lastLabel = spec.label;
        lastName = aclName(policy, spec.label);
      }
      if (rowIds.has(spec.rowId)) throw new Error(`internal: row id ${spec.rowId} twice in ${policyKey(policy)}`);
      rowIds.add(spec.rowId);
      acls.push(
        withPrintedTree(AclRow({
          portGroup: pgName,
          direction: direction.acl,
          priority: spec.priority,
          match: formatMatchExpr(spec.match),
          action: spec.action,
          name: lastName,
          log: logging !== null,
          severity: logging?.severity ?? null,
          meter: logging?.meter ?? null,
          tier: options.capabilities.aclTier ? NETWORK_POLICY_TIER : null,
          options: direction.options,
          externalIds: ownedExternalIds(options.owner, object, spec.rowId),
        }), spec.match, options.onMatchTree),
      );
    }
  }
  return { portGroup, acls };
}

/**
 * The drop that isolates the selected pods in a direction. It matches `ip` only, so ARP keeps
 * working; IPv6 neighbour discovery and MLD never reach it: ovn-northd passes
 * `nd || nd_ra || nd_rs || mldv1 || mldv2` at priority 65532 in every ACL stage, ahead of all
 * ACLs (checked on Debian's 23.03.1 and 25.03: test/e2e/netpol/neighbourDiscovery.ovn.test.ts).
 */
function isolationAcls(scope: RuleScope): AclSpec[] {
  const { direction } = scope;
  return [
    {
      rowId: `${direction.name}/default-drop`,
      label: `${direction.label}-drop`,
      priority: NETWORK_POLICY_PRIORITIES.defaultDrop,
      action: 'drop',
      match: and([scope.subject, symbol('ip')]),
    },
  ];
}

/** `alwaysAllowCidrs`: sources always let into isolated pods, destinations always let out. */
function alwaysAllowAcls(scope: RuleScope, cidrs: ReadonlyMap<4 | 6, readonly MatchValue[]>): AclSpec[] {
  const { direction } = scope;
  const out: AclSpec[] = [];
  for (const [family, list] of cidrs) {
    out.push({
      rowId: `${direction.name}/always-allow/ip${family}`,
      label: `${direction.label}-always`,
      priority: NETWORK_POLICY_PRIORITIES.alwaysAllow,
      action: 'allow-related',
      match: and([scope.subject, equalsAny(`ip${family}.${direction.peerField}`, list)]),
    });
  }
  return out;
}

function alwaysAllowByFamily(cidrs: readonly string[]): Map<4 | 6, MatchValue[]> {
  const byFamily = new Map<4 | 6, string[]>();
  for (const text of cidrs) {
    const cidr = parseCidr(text);
    if (!cidr) throw new CompileOptionError('alwaysAllowCidrs', text, 'a CIDR');
    const canonical = formatCidr(cidr);
    const list = byFamily.get(cidr.family) ?? [];
    if (!list.includes(canonical)) list.push(canonical);
    byFamily.set(cidr.family, list);
  }
  return new Map([...byFamily].sort((a, b) => a[0] - b[0]).map(([f, l]) => [f, l.sort().map(address)]));
}
