import type { CompileWarningCode } from '../errors.js';
import { address, addressSetRef, and, equalsAny, quoted, symbol, type MatchExpr, type MatchValue } from '../match/index.js';
import type { L4Protocol, Pod } from '../model/inventory.js';
import type { AclAction } from '../rows/index.js';
import type { SharedAddressSets } from './addressSets.js';
import type { PolicyDirection } from './direction.js';
import { peerMatch, portMatch, portRowId, type PeerTerm } from './match.js';
import type { NetworkPolicy, NetworkPolicyPort, NetworkPolicyRule } from './networkPolicy.js';
import { ipBlockKey, ipMatcher, type IpBlock, type PeerPods, type PeerResolver } from './peers.js';
import { namedPortSetIdentity } from './namedPortSets.js';
import { NETWORK_POLICY_PRIORITIES } from './priorities.js';
import { groupByNamedPort, podIps } from '../selection/index.js';

/** An ACL of a policy before the fields every row of the policy shares are added. */
export interface AclSpec {
  /** Unique within the policy, e.g. `ingress/0/ip4/tcp-80`; becomes external_ids `nbgen/rule`. */
  readonly rowId: string;
  /** Suffix of the ACL name, e.g. `in0`. */
  readonly label: string;
  readonly priority: number;
  readonly action: AclAction;
  readonly match: MatchExpr;
}

/** What the rules of one direction of one policy are compiled against. */
export interface RuleScope {
  readonly policy: NetworkPolicy;
  readonly direction: PolicyDirection;
  /** `outport == @np.prod.web` (ingress) or `inport == @np.prod.web`: the selected pods. */
  readonly subject: MatchExpr;
  /** The policy's selected OVN pods, by name. */
  readonly selected: readonly Pod[];
  readonly peers: PeerResolver;
  readonly sets: SharedAddressSets;
  readonly portNameFor: (pod: Pod) => string;
  /** Reports a finding about this policy (`path` is a field path such as `spec.ingress[0]...`). */
  readonly warn: (code: CompileWarningCode, path: string, message: string) => void;
}

const FAMILIES = [4, 6] as const;
const familyOf = (cidr: string): 4 | 6 => (cidr.includes(':') ? 6 : 4);

/** The peers of a rule, de-duplicated: equal selector peers and equal ipBlocks count once. */
interface RulePeers {
  /** An empty `from`/`to`: every address, inside or outside the cluster. */
  readonly everyone: boolean;
  readonly selectors: readonly PeerPods[];
  readonly blocks: readonly IpBlock[];
  /** The peer part of the match per family (undefined: not built yet), built once for all port entries of the rule. */
  ip4Match: MatchExpr | null | undefined;
  ip6Match: MatchExpr | null | undefined;
}

const NO_BLOCKS: readonly IpBlock[] = Object.freeze([]);

function rulePeers(scope: RuleScope, rule: NetworkPolicyRule): RulePeers {
  const only = rule.peers.length === 1 ? rule.peers[0]! : null;
  if (only !== null && only.type === 'selector') {
    // One selector peer, the commonest rule: nothing to de-duplicate, no maps to fill.
    return { everyone: false, selectors: [scope.peers.peerOf(scope.policy.namespace, only)], blocks: NO_BLOCKS, ip4Match: undefined, ip6Match: undefined };
  }
  const selectors = new Map<string, PeerPods>();
  const blocks = new Map<string, IpBlock>();
  for (const peer of rule.peers) {
    if (peer.type === 'ipBlock') {
      blocks.set(ipBlockKey(peer), peer);
    } else {
      const pods = scope.peers.peerOf(scope.policy.namespace, peer);
      selectors.set(pods.key, pods);
    }
  }
  return { everyone: rule.peers.length === 0, selectors: [...selectors.values()], blocks: [...blocks.values()], ip4Match: undefined, ip6Match: undefined };
}

/** Ports of a rule without repeats, each with its index in `ports`; `[null]` (all traffic) for none. */
function rulePorts(rule: NetworkPolicyRule): readonly ({ readonly port: NetworkPolicyPort; readonly index: number } | null)[] {
  if (rule.ports.length === 0) return [null];
  const unique = new Map<string, { port: NetworkPolicyPort; index: number }>();
  rule.ports.forEach((port, index) => {
    // The port's type is part of the key: a container port may be named "null", which is not
    // the absent port (every port of the protocol).
    const key = `${port.protocol}/${typeof port.port}/${port.port}/${port.endPort}`;
    if (!unique.has(key)) unique.set(key, { port, index });
  });
  return [...unique.values()];
}

/** The peer part of a rule's match in one family (null: the peers have no address in it). */
function peerMatchOf(scope: RuleScope, peers: RulePeers, family: 4 | 6): MatchExpr | null {
  let part = family === 4 ? peers.ip4Match : peers.ip6Match;
  if (part === undefined) {
    part = peerMatch(`ip${family}.${scope.direction.peerField}`, peerTerm(scope, peers, family));
    if (family === 4) peers.ip4Match = part;
    else peers.ip6Match = part;
  }
  return part;
}

/** The peer side of one family: shared pod sets, then plain CIDRs, then CIDRs with except. */
function peerTerm(scope: RuleScope, peers: RulePeers, family: 4 | 6): PeerTerm {
  const values: MatchValue[] = [];
  const slot = family === 4 ? 'ip4' : 'ip6';
  for (const peer of peers.selectors) {
    // Most peers were met before (10,000 policies, 5,000 peers): the remembered answer first,
    // without making the two callbacks that only a first meeting calls.
    let ref = scope.sets.remembered(peer, slot);
    if (ref === undefined) {
      ref = scope.sets.referenceVia(
        peer,
        slot,
        () => ({ key: peer.key, scope: peer.scope, variant: [], family }),
        () => podIps(peer.pods, family),
      );
    }
    if (ref !== null) values.push(addressSetRef(ref));
  }
  if (peers.blocks.length === 0) return { values, blocksWithExcept: NO_BLOCKS };
  const ofFamily = peers.blocks.filter((b) => familyOf(b.cidr) === family);
  for (const block of ofFamily) if (block.except.length === 0) values.push(address(block.cidr));
  return { values, blocksWithExcept: ofFamily.filter((b) => b.except.length > 0) };
}

/**
 * ACLs of rule `index` of a direction: one per (IP family, port entry), each allowing what the
 * rule's peers OR-ed together allow on that port. Families or ports the peers leave empty get no
 * ACL, so nothing ever compares with an empty set.
 */
export function ruleAcls(scope: RuleScope, rule: NetworkPolicyRule, index: number, out: AclSpec[] = []): AclSpec[] {
  const peers = rulePeers(scope, rule);
  const entries = rulePorts(rule);
  // Indexed, and appended to `out` rather than spread from lists of their own: this runs cold,
  // for every rule of 10,000 policies.
  for (let e = 0; e < entries.length; e++) {
    const entry = entries[e]!;
    if (entry === null) {
      peerAcls(out, scope, peers, index, scope.subject, null, 'all');
      continue;
    }
    const { protocol, port: number, endPort } = entry.port;
    if (typeof number === 'string') {
      const named = scope.direction.name === 'ingress' ? namedIngress : namedEgress;
      const acls = named(scope, peers, index, protocol, number);
      if (acls === null) {
        const path = `spec.${scope.direction.name}[${index}].ports[${entry.index}].port`;
        const whose = scope.direction.name === 'ingress' ? 'selected' : 'destination';
        scope.warn('NP_NAMED_PORT_UNRESOLVED', path, `no ${whose} pod has a ${protocol} container port named "${number}"; this port allows nothing`);
      }
      out.push(...(acls ?? []));
      continue;
    }
    peerAcls(out, scope, peers, index, scope.subject, portMatch(protocol, number, endPort), portRowId(protocol, number, endPort));
  }
  return out;
}

/** Appends one allow per family of the peers (one family-less `ip` allow for an empty `from`/`to`) to `out`. */
function peerAcls(out: AclSpec[], scope: RuleScope, peers: RulePeers, index: number, target: MatchExpr, l4: MatchExpr | null, l4Id: string): void {
  if (peers.everyone) {
    out.push(allowSpec(scope, index, 'ip', l4Id, and([target, symbol('ip'), l4])));
    return;
  }
  for (let f = 0; f < FAMILIES.length; f++) {
    const family = FAMILIES[f]!;
    const peerPart = peerMatchOf(scope, peers, family);
    if (peerPart !== null) out.push(allowSpec(scope, index, family === 4 ? 'ip4' : 'ip6', l4Id, and([target, peerPart, l4])));
  }
}

function allowSpec(scope: RuleScope, index: number, family: string, l4Id: string, match: MatchExpr): AclSpec {
  return {
    rowId: `${scope.direction.name}/${index}/${family}/${l4Id}`,
    label: `${scope.direction.label}${index}`,
    priority: NETWORK_POLICY_PRIORITIES.allow,
    action: 'allow-related',
    match,
  };
}

/**
 * Ingress named port: the destination is the selected pod. When every selected pod gives the
 * name the same number the allow is on the whole port group; otherwise each number is allowed
 * on exactly the pods that use it (`outport == {"a.prod", "b.prod"}`). Selected pods without
 * the name get nothing from this port entry. Null when selected pods exist but none has the name
 * (the caller warns: the entry allows nothing).
 */
function namedIngress(scope: RuleScope, peers: RulePeers, index: number, protocol: L4Protocol, name: string): AclSpec[] | null {
  const groups = groupByNamedPort(scope.selected, name, protocol);
  if (groups.size === 0) return scope.selected.length > 0 ? null : [];
  const uniform = groups.size === 1 && [...groups.values()][0]!.length === scope.selected.length;
  const out: AclSpec[] = [];
  for (const [number, pods] of groups) {
    const target = uniform ? scope.subject : equalsAny(scope.direction.portField, pods.map((pod) => quoted(scope.portNameFor(pod))));
    peerAcls(out, scope, peers, index, target, portMatch(protocol, number, null), portRowId(protocol, name, null, number));
  }
  return out;
}

/**
 * Egress named port: the destination is the peer pod, so each peer is split by the number its
 * pods give the name, into shared subset sets (`nppeer.H<hash>.Tcp8080.Ip4`). An ipBlock peer
 * (and an empty `to`) resolves only for cluster pods with an address inside the block: an
 * address outside the cluster has no pod to name a port, so it is not allowed by a named port.
 * Null when the peers have pods but none has the name.
 */
function namedEgress(scope: RuleScope, peers: RulePeers, index: number, protocol: L4Protocol, name: string): AclSpec[] | null {
  const candidates: { peer: PeerPods; keep: ((ip: string) => boolean) | null }[] = peers.everyone
    ? [{ peer: scope.peers.allPods(), keep: null }]
    : [
        ...peers.selectors.map((peer) => ({ peer, keep: null })),
        ...peers.blocks.map((block) => ({ peer: scope.peers.blockPeer(block, name, protocol), keep: ipMatcher(block) })),
      ];
  const grouped = candidates.map((c) => ({ ...c, groups: scope.peers.namedPortGroups(c.peer, name, protocol) }));
  const numbers = [...new Set(grouped.flatMap((c) => [...c.groups.keys()]))].sort((a, b) => a - b);
  if (numbers.length === 0) return candidates.some((c) => c.peer.pods.length > 0) ? null : [];
  const out: AclSpec[] = [];
  for (const number of numbers) {
    for (const family of FAMILIES) {
      const values: MatchValue[] = [];
      for (const { peer, keep, groups } of grouped) {
        const pods = groups.get(number);
        if (!pods) continue;
        const identity = () => namedPortSetIdentity(peer, protocol, name, number, family);
        // The group array stands for (peer, protocol, name, number): PeerResolver caches it.
        const ref = scope.sets.referenceVia(pods, family === 4 ? 'ip4' : 'ip6', identity, () => {
          const ips = podIps(pods, family);
          return keep === null ? ips : ips.filter(keep);
        });
        if (ref !== null) values.push(addressSetRef(ref));
      }
      if (values.length === 0) continue;
      out.push({
        rowId: `${scope.direction.name}/${index}/ip${family}/${portRowId(protocol, name, null, number)}`,
        label: `${scope.direction.label}${index}`,
        priority: NETWORK_POLICY_PRIORITIES.allow,
        action: 'allow-related',
        match: and([
          scope.subject,
          equalsAny(`ip${family}.${scope.direction.peerField}`, values),
          portMatch(protocol, number, null),
        ]),
      });
    }
  }
  return out;
}
