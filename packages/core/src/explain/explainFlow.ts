import type { CompileOptions } from '../compile/options';
import { InputError } from '../errors';
import type { Inventory, L4Protocol, Pod } from '../model/inventory';
import { parseIp } from '../net/ip';
import { OBJECT_KIND_KEY, OBJECT_NAME_KEY, OBJECT_NAMESPACE_KEY, ROW_ID_KEY } from '../ownership';
import type { AclRow, NbRows } from '../rows';
import { buildAclProgram, type AclProgram, type AclStage } from './aclProgram';
import {
  addressOf,
  resolveDestination,
  resolveEndpoint,
  ROUTER_PORT,
  serviceBackends,
  type Endpoint,
} from './endpoints';
import { evaluateStage, type StageDecision, type Verdict } from './evaluateStage';
import { hintsFor } from './hints';
import type { L4Name, Packet } from './match/evaluate';

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
}

export interface ExplainOptions {
  readonly portNameFor: CompileOptions['portNameFor'];
  /** Source port of the probe packet (an ephemeral port). */
  readonly sourcePort?: number;
}

/** The Kubernetes object and rule a row came from, read from its external_ids. */
export interface RowOrigin {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly rule: string;
}

export interface DecidingRow {
  readonly stage: AclStage;
  readonly row: AclRow;
  readonly origin: RowOrigin | null;
}

export interface PathEnd {
  readonly label: string;
  readonly ip: string;
  /** Logical switch port; ROUTER_PORT for addresses outside the switch. */
  readonly logicalPort: string;
}

/** One way through the switch: straight to a pod/IP, or through the VIP to one backend. */
export interface FlowPath {
  readonly verdict: Verdict;
  readonly source: PathEnd;
  readonly destination: PathEnd & { readonly port: number | null };
  readonly note: string | null;
  /** Stages in pipeline order, up to the first that denies (OVN drops the packet there). */
  readonly stages: readonly StageDecision[];
  /** The deny row, or the rows that allowed in each stage (none: no ACL applied). */
  readonly decidingRows: readonly DecidingRow[];
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

const DEFAULT_SOURCE_PORT = 40000;

/** Logical switch port → IPs, for OVN's `<pg>_ip4/_ip6` sets. */
export function portAddressesOf(inventory: Inventory, portNameFor: (pod: Pod) => string): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  for (const pod of inventory.pods) if (pod.ips.length > 0 && !pod.hostNetwork) map.set(portNameFor(pod), pod.ips);
  return map;
}

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
  if (query.protocol !== 'ICMP' && (query.port === null || query.port < 1 || query.port > 65535)) {
    throw new InputError([{ source: { file: '--port', doc: 0 }, path: '', message: 'a port between 1 and 65535 is required' }]);
  }
  const source = resolveEndpoint(inventory, query.from, '--from');
  const target = resolveDestination(inventory, query.to, '--to');
  const sourcePort = options.sourcePort ?? DEFAULT_SOURCE_PORT;
  const protocol = query.protocol.toLowerCase() as L4Name;
  const portFor = (e: Endpoint): string => (e.kind === 'pod' ? options.portNameFor(e.pod) : ROUTER_PORT);

  if (target.kind !== 'service') {
    const family = pickFamily(query, [source, target]);
    const srcIp = addressOf(source, family)!;
    const dstIp = addressOf(target, family)!;
    const src: PathEnd = { label: source.label, ip: srcIp, logicalPort: portFor(source) };
    const dst = { label: target.label, ip: dstIp, logicalPort: portFor(target), port: query.port };
    const path =
      source.kind === 'pod' && target.kind === 'pod' && source.pod === target.pod
        ? loopbackPath(src, dst)
        : tracePath(program, { src, dst, vip: null, protocol, family, sourcePort, note: null });
    return withHints({ verdict: path.verdict, ...common(query, family), service: null, paths: [path], note: null });
  }

  const { service, port } = target;
  if (query.protocol === 'ICMP') {
    throw new InputError([{ source: { file: '--protocol', doc: 0 }, path: '', message: 'a Service VIP is load-balanced for TCP, UDP or SCTP only' }]);
  }
  const familyHint = query.family ?? (addressOf(source, 4) !== null ? 4 : 6);
  const vip = service.clusterIPs.find((ip) => parseIp(ip)?.family === familyHint) ?? service.clusterIPs[0]!;
  const family = parseIp(vip)!.family;
  if (addressOf(source, family) === null) {
    throw new InputError([{ source: { file: '--from', doc: 0 }, path: '', message: `${source.label} has no IPv${family} address to reach ${vip}` }]);
  }
  const serviceInfo = { namespace: service.namespace, name: service.name, vip, port };
  const sp = service.ports.find((p) => p.port === port)!;
  if (sp.protocol !== query.protocol) {
    throw new InputError([{ source: { file: '--protocol', doc: 0 }, path: '', message: `Service port ${port} is ${sp.protocol}, not ${query.protocol}` }]);
  }
  const src: PathEnd = { label: source.label, ip: addressOf(source, family)!, logicalPort: portFor(source) };
  const backends = serviceBackends(inventory, service, port, query.protocol);
  const paths: FlowPath[] = [];
  for (const backend of backends) {
    const ip = backend.pod.ips.find((a) => parseIp(a)!.family === family);
    if (ip === undefined) continue;
    const hairpin = source.kind === 'pod' && source.pod === backend.pod;
    const dst = {
      label: `${backend.pod.namespace}/${backend.pod.name}`,
      ip,
      logicalPort: options.portNameFor(backend.pod),
      port: backend.targetPort,
    };
    const note = hairpin
      ? `hairpin: the client is its own backend; OVN rewrites the source to the VIP ${vip} (hairpin SNAT)`
      : null;
    paths.push(
      tracePath(program, {
        src: hairpin ? { ...src, ip: vip } : src,
        dst,
        vip: { ip: vip, port },
        protocol,
        family,
        sourcePort,
        note,
        preLbSource: src.ip,
      }),
    );
  }
  const note =
    paths.length === 0
      ? service.selector === null
        ? 'the Service has no selector: explain cannot see its hand-made endpoints; OVN drops traffic to a VIP without backends'
        : `no endpoints: no ready pod in ${service.namespace} matches the Service selector${typeof sp.targetPort === 'string' ? ` and defines port ${sp.targetPort}/${sp.protocol}` : ''}; OVN drops traffic to a VIP without backends`
      : null;
  const verdict: Verdict = paths.length > 0 && paths.every((p) => p.verdict === 'allow') ? 'allow' : 'deny';
  return withHints({ verdict, ...common(query, family), service: serviceInfo, paths, note });
}

function withHints(e: Omit<FlowExplanation, 'hints'>): FlowExplanation {
  return { ...e, hints: hintsFor(e) };
}

function common(query: FlowQuery, family: 4 | 6) {
  return { from: query.from, to: query.to, protocol: query.protocol, port: query.port, family };
}

function pickFamily(query: FlowQuery, ends: readonly Endpoint[]): 4 | 6 {
  const both = ([4, 6] as const).filter((f) => ends.every((e) => addressOf(e, f) !== null));
  if (both.length === 0) {
    throw new InputError([{ source: { file: '--to', doc: 0 }, path: '', message: `${ends.map((e) => e.label).join(' and ')} share no address family` }]);
  }
  if (query.family !== undefined) {
    if (!both.includes(query.family)) {
      throw new InputError([{ source: { file: '--family', doc: 0 }, path: '', message: `both ends need an IPv${query.family} address` }]);
    }
    return query.family;
  }
  return both[0]!;
}

/** A pod reaching its own IP: the kernel loops it back inside the pod; OVN never sees it. */
function loopbackPath(src: PathEnd, dst: FlowPath['destination']): FlowPath {
  return {
    verdict: 'allow',
    source: src,
    destination: dst,
    note: 'loopback: a pod reaching its own address never leaves it, so no ACL applies',
    stages: [],
    decidingRows: [],
  };
}

interface PathInput {
  readonly src: PathEnd;
  readonly dst: FlowPath['destination'];
  readonly vip: { readonly ip: string; readonly port: number } | null;
  readonly protocol: L4Name;
  readonly family: 4 | 6;
  readonly sourcePort: number;
  readonly note: string | null;
  /** Source address before the load balancer when hairpin SNAT changes it. */
  readonly preLbSource?: string;
}

/**
 * The three ACL stages in pipeline order. The first (`from-lport`, before the load balancer) sees
 * the VIP; the after-LB and to-lport stages see the backend and its target port.
 */
export function tracePath(program: AclProgram, p: PathInput): FlowPath {
  const value = (ip: string): bigint => parseIp(ip)!.value;
  const base = { family: p.family, protocol: p.protocol, srcPort: p.sourcePort };
  const preLbSrc = value(p.preLbSource ?? p.src.ip);
  const pre: Packet = {
    ...base,
    inport: p.src.logicalPort,
    outport: '',
    src: preLbSrc,
    dst: value(p.vip?.ip ?? p.dst.ip),
    dstPort: p.vip?.port ?? p.dst.port ?? 0,
  };
  const afterLb: Packet = { ...pre, dst: value(p.dst.ip), dstPort: p.dst.port ?? 0 };
  const toLport: Packet = { ...afterLb, src: value(p.src.ip), outport: p.dst.logicalPort };
  const stages: StageDecision[] = [];
  for (const [stage, packet] of [
    ['from-lport', pre],
    ['from-lport-after-lb', afterLb],
    ['to-lport', toLport],
  ] as const) {
    const decision = evaluateStage(program, stage, packet);
    stages.push(decision);
    if (decision.verdict === 'deny') break;
  }
  const denied = stages.find((s) => s.verdict === 'deny');
  const deciding = (denied ? [denied] : stages).filter((s) => s.decidedBy !== null);
  return {
    verdict: denied ? 'deny' : 'allow',
    source: p.src,
    destination: p.dst,
    note: p.note,
    stages,
    decidingRows: deciding.map((s) => ({ stage: s.stage, row: s.decidedBy!, origin: originOf(s.decidedBy!) })),
  };
}

export function originOf(row: AclRow): RowOrigin | null {
  const ids = row.externalIds;
  const kind = ids[OBJECT_KIND_KEY];
  if (kind === undefined) return null;
  return {
    kind,
    namespace: ids[OBJECT_NAMESPACE_KEY] ?? '',
    name: ids[OBJECT_NAME_KEY] ?? '',
    rule: ids[ROW_ID_KEY] ?? '',
  };
}
