import type { CompileOptions } from '../compile/options.js';
import type { Inventory, L4Protocol, Pod, Service } from '../model/inventory.js';
import { parseIp } from '../net/ip.js';
import type { Model } from '../model/model.js';
import type { NbRows } from '../rows/index.js';
import { buildAclProgram, type AclProgram } from './aclProgram.js';
import {
  addressOf,
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
import { traceHops, type HopSpec, type TracedPath } from './path.js';

export type FlowProtocol = L4Protocol | 'ICMP';

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
   * The backends a Service VIP is load-balanced to. Default: the pods its selector picks (as the
   * EndpointSlice controller does); judging a live NB, the backends its load balancers hold.
   */
  readonly serviceBackends?: (service: Service, port: number, protocol: L4Protocol) => readonly ServiceBackend[];
}

export interface PathEnd {
  readonly label: string;
  readonly ip: string;
  /** Logical switch port; ROUTER_PORT for addresses outside the switch. */
  readonly logicalPort: string;
}

/** One way through the switch: straight to a pod/IP, or through the VIP to one backend. */
export interface FlowPath extends TracedPath {
  readonly source: PathEnd;
  readonly destination: PathEnd & { readonly port: number | null };
  readonly note: string | null;
}

export interface FlowExplanation {
  /** allow only when every path is allowed (every Service backend). */
  readonly verdict: Verdict;
  readonly from: string;
  readonly to: string;
  readonly protocol: FlowProtocol;
  readonly port: number | null;
  readonly family: 4 | 6;
  readonly service: { readonly namespace: string; readonly name: string; readonly vip: string; readonly port: number } | null;
  readonly paths: readonly FlowPath[];
  /** Why there is no path at all (e.g. a Service without endpoints). */
  readonly note: string | null;
  /** Plain-language reasons for common surprises (Service port vs target port, isolation). */
  readonly hints: readonly string[];
}

export interface ExplainInput {
  readonly inventory: Inventory;
  readonly rows: NbRows;
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
 *               { portNameFor: kubeOvnPortName }).verdict  // 'allow' | 'deny'
 */
export function explainFlow(input: ExplainInput, query: FlowQuery, options: ExplainOptions): FlowExplanation {
  const program = buildAclProgram(input.rows, portAddressesOf(input.inventory, options.portNameFor));
  return explainWithProgram(program, input.inventory, query, options);
}

export function explainWithProgram(
  program: AclProgram,
  inventory: Inventory,
  query: FlowQuery,
  options: ExplainOptions,
): FlowExplanation {
  if (query.protocol !== 'ICMP' && (query.port === null || !Number.isInteger(query.port) || query.port < 1 || query.port > 65535)) {
    throw badInput('port', 'a port between 1 and 65535 is required');
  }
  const source = resolveEndpoint(inventory, query.from, 'from');
  const target = resolveDestination(inventory, query.to, 'to', query.port);
  const probe = {
    protocol: query.protocol.toLowerCase() as L4Name,
    sourcePort: options.sourcePort ?? DEFAULT_SOURCE_PORT,
  };
  const context: FlowContext = { program, inventory, query, options, probe };
  if (target.kind === 'service') return explainService(context, source, target);
  if (query.via) {
    if (target.kind === 'pod') throw badInput('via', `${query.to} is a pod, not a VIP`);
    return explainVip(context, source, target.ip);
  }
  return explainDirect(context, source, target);
}

interface FlowContext {
  readonly program: AclProgram;
  readonly inventory: Inventory;
  readonly query: FlowQuery;
  readonly options: ExplainOptions;
  readonly probe: { readonly protocol: L4Name; readonly sourcePort: number };
}

const logicalPortOf = (e: Endpoint, options: ExplainOptions): string => (e.kind === 'pod' ? options.portNameFor(e.pod) : ROUTER_PORT);

/** Pod or address to pod or address: one pass through the switch. */
function explainDirect({ program, inventory, query, options, probe }: FlowContext, source: Endpoint, target: Endpoint): FlowExplanation {
  const portFor = (e: Endpoint): string => logicalPortOf(e, options);
  if (source.kind === 'address' && target.kind === 'address') {
    throw badInput('to', 'neither end is a pod: the flow does not cross the logical switch');
  }
  const family = pickFamily(query, [source, target]);
  const src: PathEnd = { label: source.label, ip: addressOf(source, family)!, logicalPort: portFor(source) };
  const dst = { label: target.label, ip: addressOf(target, family)!, logicalPort: portFor(target), port: query.port };
  let path: FlowPath;
  if (source.kind === 'pod' && target.kind === 'pod' && source.pod === target.pod) {
    path = { verdict: 'allow', source: src, destination: dst, stages: [], decidingRows: [], note: 'loopback: a pod reaching its own address never leaves it, so no ACL applies' };
  } else {
    const hop: HopSpec = { inport: src.logicalPort, outport: dst.logicalPort, src: src.ip, dst: { ip: dst.ip, port: dst.port } };
    path = { ...traceHops(program, { ...probe, family }, [hop]), source: src, destination: dst, note: null };
  }
  const snatServices =
    target.kind === 'pod' ? inventory.services.filter((s) => exposesWithSnat(s, target.pod)) : [];
  return withHints(
    { verdict: path.verdict, ...common(query, family), service: null, paths: [path], note: null },
    { snatServices, externalSource: source.kind === 'address' && source.node === null, tierOf: tierLookup(inventory) },
  );
}

/** To a Service VIP: every endpoint pod, after DNAT to its target port. */
function explainService({ program, inventory, query, options, probe }: FlowContext, source: Endpoint, target: ServiceTarget): FlowExplanation {
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
    const path = vipPath({ program, options, probe }, source, src, { ip: vip, port }, backend.pod, backend.targetPort, family);
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
  return withHints(
    { verdict, ...common(query, family), service: { namespace: service.namespace, name: service.name, vip, port }, paths, note },
    { snatServices: [], externalSource: false, tierOf: tierLookup(inventory) },
  );
}

/**
 * To a load-balancer VIP that no Service in the input names, with the backend given by `via`
 * (as `ovn-trace --lb-dst` picks one): the same path as a Service backend.
 */
function explainVip({ program, inventory, query, options, probe }: FlowContext, source: Endpoint, vip: string): FlowExplanation {
  const via = query.via!;
  if (query.protocol === 'ICMP') throw badInput('protocol', 'a VIP is load-balanced for TCP, UDP or SCTP only');
  const backend = resolveEndpoint(inventory, via.pod, 'via');
  if (backend.kind !== 'pod') throw badInput('via', `expected the backend pod as NAMESPACE/POD, found ${JSON.stringify(via.pod)}`);
  const family = parseIp(vip)!.family;
  const src = clientEnd(source, family, vip, options);
  const path = vipPath({ program, options, probe }, source, src, { ip: vip, port: query.port! }, backend.pod, via.port ?? query.port!, family);
  if (!path) throw badInput('via', `${via.pod} has no IPv${family} address`);
  return withHints(
    { verdict: path.verdict, ...common(query, family), service: null, paths: [path], note: `${vip} is load-balanced to ${via.pod} (given with via)` },
    { snatServices: [], externalSource: false, tierOf: tierLookup(inventory) },
  );
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
  { program, options, probe }: Pick<FlowContext, 'program' | 'options' | 'probe'>,
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
  return { ...traceHops(program, { ...probe, family }, hops), source: src, destination: dst, note };
}

function withHints(e: Omit<FlowExplanation, 'hints'>, context?: HintContext): FlowExplanation {
  return { ...e, hints: hintsFor(e, context) };
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

function pickFamily(query: FlowQuery, ends: readonly Endpoint[]): 4 | 6 {
  const shared = ([4, 6] as const).filter((f) => ends.every((e) => addressOf(e, f) !== null));
  if (shared.length === 0) throw badInput('to', `${ends.map((e) => e.label).join(' and ')} share no address family`);
  if (query.family === undefined) return shared[0]!;
  if (!shared.includes(query.family)) throw badInput('family', `both ends need an IPv${query.family} address`);
  return query.family;
}
