import { kubeOvnPortName, type CompileOptions } from '../compile/options.js';
import type { Inventory, L4Protocol, Pod, Service, Node } from '../model/inventory.js';
import { parseIp } from '../net/ip.js';
import type { Model } from '../model/model.js';
import type { NbRows, AclRow } from '../rows/index.js';
import { buildAclProgram, type AclProgram } from './aclProgram.js';
import { decisionChain } from './chain.js';
import {
  addressOf,
  endAddressOf,
  knownPodEnd,
  podPortName,
  resolveDestination,
  resolveEndpoint,
  ROUTER_PORT,
  serviceBackends,
  type Endpoint,
  type ServiceBackend,
  type ServiceTarget,
} from './endpoints.js';
import type { Verdict } from './evaluateStage.js';
import { hintsFor, type HintContext } from './hints.js';
import { FlowQueryError, type FlowQueryField } from './queryError.js';
import type { L4Name } from './match/evaluate.js';
import { judgeDirectPath, judgePath, traceHops, type HopSpec, type ProbeSpec, type TracedPath } from './path.js';
import { resolveNodePortTarget, type KubeProxyHop, type NodePortLeg, type NodePortTarget } from './nodePort.js';
import type { FlowExplanation, FlowPath, FlowProtocol, PathEnd } from './explanation.js';

export type { ExplainedPath, FlowExplanation, FlowPath, FlowProtocol, PathEnd } from './explanation.js';

export interface FlowQuery {
  /** `NS/POD` or an IP. */
  readonly from: string;
  /** `NS/POD`, an IP, or `svc:NS/NAME:PORT` (the Service VIP). */
  readonly to: string;
  /** Destination port (the Service port for `svc:`); ignored for ICMP. */
  readonly port: number | null;
  readonly protocol: FlowProtocol;
  /** Address family when both ends have both; IPv4 first by default. */
  readonly family?: 4 | 6;
  /**
   * The backend the load balancer picks for a VIP (`NS/POD`, and its target port if not the
   * Service's): judge only that one. With a `to` address no Service names, `to` is taken as a
   * load-balancer VIP with this backend (e.g. to replay `ovn-trace --lb-dst`).
   */
  readonly via?: { readonly pod: string; readonly port?: number };
}

export interface ExplainOptions {
  readonly portNameFor: CompileOptions['portNameFor'];
  /** Source port of the probe packet (an ephemeral port). */
  readonly sourcePort?: number;
  /**
   * false: stages carry no trail of the rows that did not match (same verdict and deciding rows;
   * for callers judging many flows that print only those, e.g. `nbgen test`).
   */
  readonly trail?: boolean;
  /**
   * The backends a Service VIP is load-balanced to. Default: the pods its selector picks (as the
   * EndpointSlice controller does); judging a live NB, the backends its load balancers hold.
   */
  readonly serviceBackends?: (service: Service, port: number, protocol: L4Protocol) => readonly ServiceBackend[];
}

export interface ExplainInput {
  readonly inventory: Inventory;
  readonly rows: NbRows;
  /** Pass rules on a target without tiers (`emulatedPassRows`), to name the Pass in the chain. */
  readonly emulatedPasses?: readonly AclRow[];
}

export const DEFAULT_SOURCE_PORT = 40000;

/** Logical switch port → IPs, for OVN's `<pg>_ip4/_ip6` sets. */
export function portAddressesOf(inventory: Inventory, portNameFor: (pod: Pod) => string): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  for (const pod of inventory.pods) if (pod.ips.length > 0 && !pod.hostNetwork) map.set(portNameFor(pod), pod.ips);
  return map;
}

const badInput = (field: FlowQueryField, message: string): FlowQueryError => new FlowQueryError(field, message);

/**
 * Why `query` is allowed or dropped, judged from the rows alone, the way OVN would:
 *
 *   explainFlow({ inventory: model, rows }, { from: 'prod/client', to: 'svc:prod/web:80', port: 80, protocol: 'TCP' },
 *   ).verdict  // 'allow' | 'deny'  (options default: Kube-OVN port names)
 */
export function explainFlow(input: ExplainInput, query: FlowQuery, options: Partial<ExplainOptions> = {}): FlowExplanation {
  // Kube-OVN's port names unless told otherwise, as compile defaults them.
  const full: ExplainOptions = { ...options, portNameFor: options.portNameFor ?? kubeOvnPortName };
  const program = buildAclProgram(input.rows, () => portAddressesOf(input.inventory, full.portNameFor), input.emulatedPasses ?? []);
  return explainWithProgram(program, input.inventory, query, full);
}

export function explainWithProgram(
  program: AclProgram,
  inventory: Inventory,
  query: FlowQuery,
  options: ExplainOptions,
): FlowExplanation {
  const trail = options.trail !== false;
  return explainAny({ program, inventory, query, options, trace: (_, probe, hops) => traceHops(program, probe, hops, { trail }), verdictOnly: false });
}

/**
 * explainWithProgram's verdict, paths and deciding rows, without the explanation around them:
 * paths carry no stages and no chain, and there are no hints. The same resolution of both ends,
 * the same paths (Service backends, NodePort legs), each judged by judgePath (the stages of
 * traceHops, deciding rows only). For callers that judge thousands of flows and show only the
 * deciding rules: `nbgen test`, impact.
 */
export function judgeFlow(program: AclProgram, inventory: Inventory, query: FlowQuery, options: ExplainOptions): FlowExplanation {
  return explainAny({ program, inventory, query, options, trace: judgePath, verdictOnly: true });
}

function explainAny(context: Omit<FlowContext, 'probe'>): FlowExplanation {
  const { inventory, query, options } = context;
  if (query.protocol !== 'ICMP' && (query.port === null || !Number.isInteger(query.port) || query.port < 1 || query.port > 65535)) {
    throw badInput('port', 'a port between 1 and 65535 is required');
  }
  const source = resolveEndpoint(inventory, query.from, 'from');
  const probe = {
    protocol: query.protocol.toLowerCase() as L4Name,
    sourcePort: options.sourcePort ?? DEFAULT_SOURCE_PORT,
  };
  // One context object per flow, fields copied (nbgen test judges thousands).
  const withProbe: FlowContext = { program: context.program, inventory, query, options, probe, trace: context.trace, verdictOnly: context.verdictOnly };
  // To a pod by its name (most flows of a flows file): the pod, without trying the text as a node
  // port, a Service or an address first. With `via` the checks below refuse it.
  const pod = query.via ? null : knownPodEnd(inventory, query.to);
  if (pod !== null) return explainDirect(withProbe, source, pod);
  const nodePortTarget = resolveNodePortTarget(inventory, query.to, query.port, query.family);
  if (nodePortTarget) return explainNodePort(withProbe, source, nodePortTarget);
  const target = resolveDestination(inventory, query.to, 'to', query.port);
  if (target.kind === 'service') return explainService(withProbe, source, target);
  if (query.via) {
    if (target.kind === 'pod') throw badInput('via', `${query.to} is a pod, not a VIP`);
    return explainVip(withProbe, source, target.ip);
  }
  return explainDirect(withProbe, source, target);
}

interface FlowContext {
  readonly program: AclProgram;
  readonly inventory: Inventory;
  readonly query: FlowQuery;
  readonly options: ExplainOptions;
  readonly probe: { readonly protocol: L4Name; readonly sourcePort: number };
  /** traceHops (explain), or judgePath (judgeFlow: no stages; the function itself, no closure per flow). */
  readonly trace: (program: AclProgram, probe: ProbeSpec, hops: readonly HopSpec[]) => TracedPath;
  /** judgeFlow: no chains, no hints. */
  readonly verdictOnly: boolean;
}

const logicalPortOf = (e: Endpoint, options: ExplainOptions): string => (e.kind === 'pod' ? podPortName(e, options.portNameFor) : ROUTER_PORT);

/** Pod or address to pod or address: one pass through the switch. */
function explainDirect({ program, inventory, query, options, probe, trace, verdictOnly }: FlowContext, source: Endpoint, target: Endpoint): FlowExplanation {
  if (source.kind === 'address' && target.kind === 'address') {
    throw badInput('to', 'neither end is a pod: the flow does not cross the logical switch');
  }
  const family = pickFamily(query, source, target);
  // Each address read once, with its value for the packets.
  const srcAddress = endAddressOf(source, family)!;
  const dstAddress = endAddressOf(target, family)!;
  const src: PathEnd = { label: source.label, ip: srcAddress.ip, logicalPort: logicalPortOf(source, options) };
  const dst = { label: target.label, ip: dstAddress.ip, logicalPort: logicalPortOf(target, options), port: query.port };
  const loopback = source.kind === 'pod' && target.kind === 'pod' && source.pod === target.pod;
  let path: FlowPath;
  if (loopback) {
    path = { verdict: 'allow', source: src, destination: dst, stages: [], decidingRows: [], note: 'loopback: a pod reaching its own address never leaves it, so no ACL applies' };
  } else {
    // judgeFlow: judgePath's verdict and rows for one pass, then withoutHints' path and
    // explanation, made at once (no hop, probe or packet list per flow: nbgen test judges thousands).
    if (verdictOnly) {
      const traced = judgeDirectPath(program, family, probe.protocol, probe.sourcePort, src.logicalPort, dst.logicalPort, srcAddress.value, dstAddress.value, dst.port);
      const only = { verdict: traced.verdict, stages: traced.stages, decidingRows: traced.decidingRows, source: src, destination: dst, note: null, chain: NONE };
      return { verdict: traced.verdict, from: query.from, to: query.to, protocol: query.protocol, port: query.port, family, service: null, paths: [only], note: null, hints: NONE };
    }
    const hop: HopSpec = { inport: src.logicalPort, outport: dst.logicalPort, src: src.ip, dst: { ip: dst.ip, port: dst.port }, srcValue: srcAddress.value, dstValue: dstAddress.value };
    const traced = trace(program, { protocol: probe.protocol, sourcePort: probe.sourcePort, family }, [hop]);
    path = { verdict: traced.verdict, stages: traced.stages, decidingRows: traced.decidingRows, source: src, destination: dst, note: null };
  }
  if (verdictOnly) {
    return { verdict: path.verdict, from: query.from, to: query.to, protocol: query.protocol, port: query.port, family, service: null, paths: [{ ...path, chain: NONE }], note: null, hints: NONE };
  }
  const explanation = { verdict: path.verdict, ...common(query, family), service: null, paths: [path], note: null };
  const snatServices =
    target.kind === 'pod' ? inventory.services.filter((s) => exposesWithSnat(s, target.pod)) : [];
  return withHints(explanation, { snatServices, externalSource: source.kind === 'address' && source.node === null, tierOf: tierLookup(inventory) });
}

/** To a Service VIP: every endpoint pod, after DNAT to its target port. */
function explainService(context: FlowContext, source: Endpoint, target: ServiceTarget): FlowExplanation {
  const { inventory, query, options } = context;
  const { service, port } = target;
  if (query.protocol === 'ICMP') throw badInput('protocol', 'a Service VIP is load-balanced for TCP, UDP or SCTP only');
  const sp = service.ports.find((p) => p.port === port)!;
  if (sp.protocol !== query.protocol) throw badInput('protocol', `Service port ${port} is ${sp.protocol}, not ${query.protocol}`);
  const preferred = query.family ?? (addressOf(source, 4) !== null ? 4 : 6);
  const vip = service.clusterIPs.find((ip) => parseIp(ip)?.family === preferred) ?? service.clusterIPs[0]!;
  const family = parseIp(vip)!.family;
  const src = clientEnd(source, family, vip, options);
  let backends = options.serviceBackends ? options.serviceBackends(service, port, query.protocol) : serviceBackends(inventory, service, port, query.protocol);
  if (query.via) {
    const picked = resolveEndpoint(inventory, query.via.pod, 'via');
    backends = backends.filter((b) => picked.kind === 'pod' && b.pod === picked.pod).map((b) => ({ ...b, targetPort: query.via!.port ?? b.targetPort }));
    if (backends.length === 0) throw badInput('via', `${query.via.pod} is not an endpoint of Service ${service.namespace}/${service.name} port ${port}`);
  }
  const paths = backends.flatMap((backend) => {
    const path = vipPath(context, source, src, { ip: vip, port }, backend.pod, backend.targetPort, family);
    return path ? [path] : [];
  });
  const note =
    paths.length > 0
      ? null
      : service.selector === null
        ? 'the Service has no selector: explain cannot see its hand-made endpoints'
        : `no endpoints: no pod in ${service.namespace} matches the Service selector` +
          (typeof sp.targetPort === 'string' ? ` and defines port ${sp.targetPort}/${sp.protocol}` : '');
  const verdict: Verdict = paths.length > 0 && paths.every((p) => p.verdict === 'allow') ? 'allow' : 'deny';
  const explanation = { verdict, ...common(query, family), service: { namespace: service.namespace, name: service.name, vip, port }, paths, note };
  if (context.verdictOnly) return withoutHints(explanation);
  return withHints(explanation, { snatServices: [], externalSource: false, tierOf: tierLookup(inventory) });
}

/**
 * To a load-balancer VIP that no Service in the input names, with the backend given by `via`
 * (as `ovn-trace --lb-dst` picks one): the same path as a Service backend.
 */
function explainVip(context: FlowContext, source: Endpoint, vip: string): FlowExplanation {
  const { inventory, query, options } = context;
  const via = query.via!;
  if (query.protocol === 'ICMP') throw badInput('protocol', 'a VIP is load-balanced for TCP, UDP or SCTP only');
  const backend = resolveEndpoint(inventory, via.pod, 'via');
  if (backend.kind !== 'pod') throw badInput('via', `expected the backend pod as NAMESPACE/POD, found ${JSON.stringify(via.pod)}`);
  const family = parseIp(vip)!.family;
  const src = clientEnd(source, family, vip, options);
  const path = vipPath(context, source, src, { ip: vip, port: query.port! }, backend.pod, via.port ?? query.port!, family);
  if (!path) throw badInput('via', `${via.pod} has no IPv${family} address`);
  const explanation = { verdict: path.verdict, ...common(query, family), service: null, paths: [path], note: `${vip} is load-balanced to ${via.pod} (given with via)` };
  if (context.verdictOnly) return withoutHints(explanation);
  return withHints(explanation, { snatServices: [], externalSource: false, tierOf: tierLookup(inventory) });
}

function clientEnd(source: Endpoint, family: 4 | 6, vip: string, options: ExplainOptions): PathEnd {
  const ip = addressOf(source, family);
  if (ip === null) throw badInput('from', `${source.label} has no IPv${family} address to reach ${vip}`);
  return { label: source.label, ip, logicalPort: logicalPortOf(source, options) };
}

/**
 * Client → VIP → one backend. Hairpin (the client is the backend): OVN SNATs the source to the
 * VIP and sends the packet straight back (ls_in_hairpin). Otherwise the DNATed packet still
 * carries the gateway MAC: out to the router, and back in to the backend.
 */
function vipPath(
  { program, options, probe, trace }: Pick<FlowContext, 'program' | 'options' | 'probe' | 'trace'>,
  source: Endpoint,
  src: PathEnd,
  vip: { readonly ip: string; readonly port: number },
  pod: Pod,
  targetPort: number,
  family: 4 | 6,
): FlowPath | null {
  const ip = pod.ips.find((a) => parseIp(a)!.family === family);
  if (ip === undefined) return null;
  const dst = { label: `${pod.namespace}/${pod.name}`, ip, logicalPort: options.portNameFor(pod), port: targetPort };
  const dnat = { ip, port: targetPort };
  const hairpin = source.kind === 'pod' && source.pod === pod;
  const hops: HopSpec[] = hairpin
    ? [{ inport: src.logicalPort, outport: src.logicalPort, src: src.ip, dst: vip, dnat, snat: vip.ip }]
    : [
        { inport: src.logicalPort, outport: ROUTER_PORT, src: src.ip, dst: vip, dnat },
        { inport: ROUTER_PORT, outport: dst.logicalPort, src: src.ip, dst: dnat },
      ];
  const note = hairpin ? `hairpin: the client is its own backend; OVN rewrites the source to the VIP ${vip.ip}` : null;
  return { ...trace(program, { ...probe, family }, hops), source: src, destination: dst, note };
}

/**
 * Client → NODE:nodePort (or a LoadBalancer IP) → kube-proxy → endpoint, judged in legs. Leg 1: the
 * client pod's egress ACLs see the address and port it connects to (kube-proxy serves NodePorts
 * and load-balancer IPs; no OVN load balancer rewrites them, so a podSelector egress rule does not
 * match and an ipBlock covering the address does); a client outside the cluster has no OVN leg
 * here. Leg 2: kube-proxy on the node picks an endpoint (Local: only those on the node, none means
 * the connection fails there) and, with Cluster, rewrites the source to the node's join address.
 * Leg 3: the endpoint's ingress ACLs judge that source on the target port, as the packet enters
 * OVN from the node's join port. A load-balancer IP is handled on the client pod's own node
 * (kube-proxy captures it there); from outside the load balancer may pick any node (Cluster) or a
 * node with an endpoint (Local, by its health check): each is judged.
 */
function explainNodePort({ program, inventory, query, options, probe, trace, verdictOnly }: FlowContext, source: Endpoint, target: NodePortTarget): FlowExplanation {
  const { service, servicePort } = target;
  const what = target.kind === 'nodePort' ? `nodePort ${target.port}` : `load balancer port ${target.port}`;
  if (query.protocol === 'ICMP') throw badInput('protocol', `a ${target.kind === 'nodePort' ? 'NodePort' : 'load balancer'} is served for TCP, UDP or SCTP only`);
  if (servicePort.protocol !== query.protocol) throw badInput('protocol', `${what} is ${servicePort.protocol}, not ${query.protocol}`);
  const family = parseIp(target.address)!.family;
  const client = clientEnd(source, family, target.address, options);
  const local = service.externalTrafficPolicy === 'Local';
  const all = serviceBackends(inventory, service, servicePort.port, query.protocol);
  const nodes = kubeProxyNodes(inventory, target, source, local ? all : null);
  const leg1: HopSpec[] = source.kind === 'pod' ? [{ inport: client.logicalPort, outport: ROUTER_PORT, src: client.ip, dst: { ip: target.address, port: target.port } }] : [];
  const hops: KubeProxyHop[] = [];
  const paths: FlowPath[] = [];
  for (const node of nodes) {
    const joinIp = node.joinIps.find((ip) => parseIp(ip)!.family === family) ?? null;
    if (!local && joinIp === null) {
      throw badInput('to', `Node ${node.name} has no IPv${family} join address (annotation ovn.kubernetes.io/ip_address): with externalTrafficPolicy Cluster it is the source the endpoints see`);
    }
    const seen = local ? client.ip : joinIp!;
    const chosen = local ? all.filter((b) => b.pod.nodeName === node.name) : all;
    hops.push({ node: node.name, sourceSeenByEndpoints: seen, endpoints: chosen.map((b) => `${b.pod.namespace}/${b.pod.name}`) });
    const rewrite = local ? `externalTrafficPolicy Local: source kept (${seen})` : `externalTrafficPolicy Cluster: source rewritten to ${node.name}'s join address ${seen}`;
    for (const backend of chosen) {
      const ip = backend.pod.ips.find((a) => parseIp(a)!.family === family);
      if (ip === undefined) continue;
      const dst = { label: `${backend.pod.namespace}/${backend.pod.name}`, ip, logicalPort: options.portNameFor(backend.pod), port: backend.targetPort };
      const legs = [
        source.kind === 'pod'
          ? `leg 1 (pass 1): ${client.label} egress sees ${bracketIp(target.address)}:${target.port}`
          : `leg 1: ${client.label} is outside the cluster network, no OVN ACL on its way to ${target.kind === 'nodePort' ? 'the node' : `node ${node.name}`}`,
        `leg 2: kube-proxy on ${node.name} picks ${dst.label} (${rewrite})`,
        `leg 3 (pass ${leg1.length + 1}): ${dst.label} ingress sees ${seen} on port ${backend.targetPort}`,
      ];
      const legHops = [...leg1, { inport: ROUTER_PORT, outport: dst.logicalPort, src: seen, dst: { ip, port: backend.targetPort } }];
      paths.push({ ...trace(program, { ...probe, family }, legHops), source: client, destination: dst, note: legs.join('\n  '), kubeProxy: { node: node.name, source: seen } });
    }
  }
  const note =
    paths.length > 0
      ? null
      : all.length === 0
        ? `no endpoints: no pod in ${service.namespace} matches the Service selector`
        : `externalTrafficPolicy Local and no endpoint on ${nodes.map((n) => n.name).join(', ') || 'the node'}: kube-proxy there has nothing to send the connection to, it fails on the node`;
  const verdict: Verdict = paths.length > 0 && paths.every((p) => p.verdict === 'allow') ? 'allow' : 'deny';
  const nodePort: NodePortLeg = {
    kind: target.kind,
    address: target.address,
    port: target.port,
    service: { namespace: service.namespace, name: service.name, port: servicePort.port },
    externalTrafficPolicy: service.externalTrafficPolicy,
    nodes: hops,
  };
  const explanation = { verdict, ...common(query, family), service: null, paths, note };
  if (verdictOnly) return { ...withoutHints(explanation), nodePort };
  const explained = withHints(explanation, { snatServices: [], externalSource: false, tierOf: tierLookup(inventory) });
  return { ...explained, hints: [...nodePortHints(explained, nodePort, leg1.length > 0), ...explained.hints], nodePort };
}

const bracketIp = (ip: string): string => (ip.includes(':') ? `[${ip}]` : ip);

/** The nodes whose kube-proxy handles the connection (see explainNodePort). */
function kubeProxyNodes(inventory: Inventory, target: NodePortTarget, source: Endpoint, localBackends: readonly { readonly pod: Pod }[] | null): Node[] {
  if (target.node) return [target.node];
  if (source.kind === 'pod') {
    const own = inventory.nodes.find((n) => n.name === source.pod.nodeName);
    if (!own) throw badInput('from', `Pod ${source.label} has no spec.nodeName among the given Nodes: kube-proxy on its node handles ${target.address}`);
    return [own];
  }
  const withEndpoints = localBackends === null ? null : new Set(localBackends.map((b) => b.pod.nodeName));
  return [...inventory.nodes].filter((n) => withEndpoints === null || withEndpoints.has(n.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The rule a user would add for a denied NodePort leg. */
function nodePortHints(e: FlowExplanation, leg: NodePortLeg, hasLeg1: boolean): string[] {
  const hints = new Set<string>();
  for (const path of e.paths) {
    if (path.verdict !== 'deny') continue;
    const deniedHop = path.stages.find((s) => s.verdict === 'deny')?.hop ?? 0;
    const hop = leg.nodes.find((n) => n.endpoints.includes(path.destination.label));
    if (hasLeg1 && deniedHop === 1) {
      hints.add(
        `the client's egress sees ${bracketIp(leg.address)}:${leg.port}, not the Service's pods (kube-proxy, not OVN, serves ` +
          `${leg.kind === 'nodePort' ? 'NodePorts' : 'load-balancer addresses'}): a podSelector egress rule does not match it; allow ` +
          `${leg.address} on port ${leg.port} with an ipBlock.`,
      );
    } else if (leg.externalTrafficPolicy === 'Cluster') {
      hints.add(
        `kube-proxy on ${hop?.node ?? 'the node'} rewrote the source to its join address ${hop?.sourceSeenByEndpoints ?? ''} (externalTrafficPolicy: Cluster), so rules ` +
          `for the client never match: allow the join subnet (ipBlock 100.64.0.0/16) in the endpoints' ingress, or set ` +
          `externalTrafficPolicy: Local and allow the client with an ipBlock.`,
      );
    } else {
      hints.add(
        `with externalTrafficPolicy: Local the endpoints see the client's own address ${hop?.sourceSeenByEndpoints ?? ''}: allow it in their ingress ` +
          `(an ipBlock for a client outside the cluster, a podSelector for a pod).`,
      );
    }
  }
  return [...hints];
}

/** judgeFlow's explanation: paths without a chain (they have no stages), no hints. */
function withoutHints(e: Omit<FlowExplanation, 'hints' | 'paths'> & { readonly paths: readonly FlowPath[] }): FlowExplanation {
  return { ...e, paths: e.paths.map((p) => ({ ...p, chain: NONE })), hints: NONE };
}

// judgeFlow's chains and hints are empty: one shared list (nbgen test keeps thousands of explanations).
const NONE: readonly never[] = Object.freeze([]);

function withHints(e: Omit<FlowExplanation, 'hints' | 'paths'> & { readonly paths: readonly FlowPath[] }, context: HintContext): FlowExplanation {
  const explained = { ...e, paths: e.paths.map((p) => ({ ...p, chain: decisionChain(p, context.tierOf) })) };
  return { ...explained, hints: hintsFor(explained, context) };
}

/** The tier of a cluster-scoped policy, when the inventory is a whole Model (it has clusterPolicies). */
function tierLookup(inventory: Inventory): HintContext['tierOf'] {
  const policies = (inventory as Partial<Model>).clusterPolicies ?? [];
  return (kind, name) => policies.find((p) => p.kind === kind && p.name === name)?.tier ?? null;
}

/** A NodePort/LoadBalancer Service with externalTrafficPolicy: Cluster in front of `pod`. */
function exposesWithSnat(service: Service, pod: Pod): boolean {
  return (
    (service.type === 'NodePort' || service.type === 'LoadBalancer') &&
    service.externalTrafficPolicy === 'Cluster' &&
    service.namespace === pod.namespace &&
    service.selector !== null &&
    Object.keys(service.selector).length > 0 &&
    Object.entries(service.selector).every(([k, v]) => pod.labels[k] === v)
  );
}

function common(query: FlowQuery, family: 4 | 6) {
  return { from: query.from, to: query.to, protocol: query.protocol, port: query.port, family };
}

function pickFamily(query: FlowQuery, source: Endpoint, target: Endpoint): 4 | 6 {
  // No lists: nbgen test picks a family for every flow. IPv6 addresses are looked up only when
  // IPv4 does not settle it.
  const v4 = addressOf(source, 4) !== null && addressOf(target, 4) !== null;
  if (v4 && query.family !== 6) return 4;
  const v6 = addressOf(source, 6) !== null && addressOf(target, 6) !== null;
  if (!v4 && !v6) throw badInput('to', `${source.label} and ${target.label} share no address family`);
  if (query.family === undefined) return v4 ? 4 : 6;
  if (!(query.family === 4 ? v4 : v6)) throw badInput('family', `both ends need an IPv${query.family} address`);
  return query.family;
}
