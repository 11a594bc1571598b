import type { SourceRef } from '../errors.js';
import type { L4Protocol } from '../model/inventory.js';
import type { LabelSelector } from '../selectors/labelSelector.js';
import {
  BANP_EFFECTIVE_PRIORITY,
  type PodSelection,
  type TierAction,
  type TieredPeer,
  type TieredPolicy,
  type TieredPort,
  type TieredRule,
} from './tieredPolicy.js';
import type {
  AdminNetworkPolicyInput,
  AnpPortInput,
  BaselineAdminNetworkPolicyInput,
  ClusterNetworkPolicyInput,
  CnpProtocolInput,
} from './manifestSchema.js';

/** Validated CRD objects → the one internal model (see tieredPolicy.ts). */

const ALL: LabelSelector = {};

type SubjectInput = { namespaces?: LabelSelector | undefined; pods?: { namespaceSelector?: LabelSelector | undefined; podSelector: LabelSelector } | undefined };

function subjectOf(subject: SubjectInput): PodSelection {
  if (subject.namespaces !== undefined) return { namespaceSelector: subject.namespaces, podSelector: ALL };
  const pods = subject.pods!;
  return { namespaceSelector: pods.namespaceSelector ?? ALL, podSelector: pods.podSelector };
}

type PeerInput = SubjectInput & {
  nodes?: LabelSelector | undefined;
  networks?: readonly string[] | undefined;
  domainNames?: readonly string[] | undefined;
};

function peerOf(peer: PeerInput): TieredPeer {
  if (peer.nodes !== undefined) return { type: 'nodes', selector: peer.nodes };
  if (peer.networks !== undefined) return { type: 'networks', cidrs: [...peer.networks] };
  if (peer.domainNames !== undefined) return { type: 'domainNames', names: [...peer.domainNames] };
  const pods = subjectOf(peer);
  return { type: 'pods', namespaceSelector: pods.namespaceSelector, podSelector: pods.podSelector };
}

function cnpPortOf(p: CnpProtocolInput): TieredPort {
  if (p.destinationNamedPort !== undefined) return { type: 'named', name: p.destinationNamedPort };
  const [protocol, l4] = p.tcp ? (['TCP', p.tcp] as const) : p.udp ? (['UDP', p.udp] as const) : (['SCTP', p.sctp!] as const);
  const dest = l4.destinationPort;
  if (dest === undefined) return { type: 'protocol', protocol };
  if (dest.number !== undefined) return { type: 'range', protocol, start: dest.number, end: dest.number };
  return { type: 'range', protocol, start: dest.range!.start, end: dest.range!.end };
}

function anpPortOf(p: AnpPortInput): TieredPort {
  if (p.namedPort !== undefined) return { type: 'named', name: p.namedPort };
  if (p.portNumber !== undefined) {
    return { type: 'range', protocol: p.portNumber.protocol as L4Protocol, start: p.portNumber.port, end: p.portNumber.port };
  }
  const r = p.portRange!;
  return { type: 'range', protocol: r.protocol as L4Protocol, start: r.start, end: r.end };
}

/** v1alpha1 `Allow` is v1alpha2 `Accept`. */
function actionOf(action: string): TierAction {
  return action === 'Allow' ? 'Accept' : (action as TierAction);
}

interface RuleInput<P> {
  name?: string | undefined;
  action: string;
  peers: readonly PeerInput[];
  ports: readonly P[] | undefined;
}

function rulesOf<P>(
  direction: 'ingress' | 'egress',
  rules: readonly RuleInput<P>[] | undefined,
  portOf: (p: P) => TieredPort,
): TieredRule[] {
  return (rules ?? []).map((r, i) => ({
    name: r.name ?? null,
    action: actionOf(r.action),
    peers: r.peers.map(peerOf),
    ports: (r.ports ?? []).map(portOf),
    path: `spec.${direction}[${i}]`,
  }));
}

/** ANP and BANP rule lists: peers in `from`/`to`, ports in `ports` (a CNP calls them `protocols`). */
type AnpRuleInput = Omit<RuleInput<AnpPortInput>, 'peers' | 'ports'> & { ports?: readonly AnpPortInput[] | undefined };

interface AnpRulesInput {
  ingress?: readonly (AnpRuleInput & { from: readonly PeerInput[] })[] | undefined;
  egress?: readonly (AnpRuleInput & { to: readonly PeerInput[] })[] | undefined;
}

function anpRulesOf(spec: AnpRulesInput): Pick<TieredPolicy, 'ingress' | 'egress'> {
  return {
    ingress: rulesOf('ingress', spec.ingress?.map((r) => ({ ...r, peers: r.from, ports: r.ports })), anpPortOf),
    egress: rulesOf('egress', spec.egress?.map((r) => ({ ...r, peers: r.to, ports: r.ports })), anpPortOf),
  };
}

export function fromClusterNetworkPolicy(v: ClusterNetworkPolicyInput, source: SourceRef): TieredPolicy {
  return {
    kind: 'ClusterNetworkPolicy',
    name: v.metadata.name,
    tier: v.spec.tier,
    priority: v.spec.priority,
    subject: subjectOf(v.spec.subject),
    ingress: rulesOf('ingress', v.spec.ingress?.map((r) => ({ ...r, peers: r.from, ports: r.protocols })), cnpPortOf),
    egress: rulesOf('egress', v.spec.egress?.map((r) => ({ ...r, peers: r.to, ports: r.protocols })), cnpPortOf),
    source,
  };
}

export function fromAdminNetworkPolicy(v: AdminNetworkPolicyInput, source: SourceRef): TieredPolicy {
  return {
    kind: 'AdminNetworkPolicy',
    name: v.metadata.name,
    tier: 'Admin',
    priority: v.spec.priority,
    subject: subjectOf(v.spec.subject),
    ...anpRulesOf(v.spec),
    source,
  };
}

export function fromBaselineAdminNetworkPolicy(v: BaselineAdminNetworkPolicyInput, source: SourceRef): TieredPolicy {
  return {
    kind: 'BaselineAdminNetworkPolicy',
    name: v.metadata.name,
    tier: 'Baseline',
    priority: BANP_EFFECTIVE_PRIORITY,
    subject: subjectOf(v.spec.subject),
    ...anpRulesOf(v.spec),
    source,
  };
}
