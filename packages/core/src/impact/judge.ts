import { buildAclProgram, type AclProgram } from '../explain/aclProgram.js';
import { decidingRuleText, directRuleText } from '../explain/decidingRule.js';
import { ROUTER_PORT } from '../explain/endpoints.js';
import type { Verdict } from '../explain/evaluateStage.js';
import { DEFAULT_SOURCE_PORT, judgeFlow, portAddressesOf, type ExplainOptions, type FlowProtocol } from '../explain/explainFlow.js';
import { FlowQueryError } from '../explain/queryError.js';
import type { L4Name } from '../explain/match/evaluate.js';
import { judgeDirect, type HopsJudgement, type ProbeSpec } from '../explain/path.js';
import type { Inventory, L4Protocol, Node, Pod, Service, ServicePort } from '../model/inventory.js';
import { nodeAddressOf } from '../explain/nodePort.js';
import type { NbRows } from '../rows/index.js';
import { canonicalIp, parseIp } from '../net/ip.js';
import type { FlowSpace, PortProbe } from './flowSpace.js';
import type { PodClass } from './podClasses.js';

/** One end of a judged flow: a class of pods, a Service VIP, or an address outside the cluster. */
export interface FlowEnd {
  /** Identity across versions. */
  readonly key: string;
  /** `node`: a Service's nodePort on one Node (kube-proxy's NodePort, or a LoadBalancer's). */
  readonly kind: 'pods' | 'service' | 'address' | 'node';
  readonly namespace: string | null;
  /** `shop/web-*`, `svc:shop/web:80`, `192.0.2.1`, `node:w1:30080 (svc:shop/web:80)`. */
  readonly label: string;
  /** Pods it stands for (1 for an address or a VIP). */
  readonly pods: number;
}

export interface JudgedClassFlow {
  readonly from: FlowEnd;
  readonly to: FlowEnd;
  readonly protocol: L4Protocol;
  readonly port: number;
  /** The port stands for every port no policy names. */
  readonly otherPort: boolean;
  readonly family: 4 | 6;
  readonly verdict: Verdict;
  /** `deny: NetworkPolicy shop/db-ingress rule ingress/default-drop` */
  readonly rule: string;
}

export const flowKey = (f: Pick<JudgedClassFlow, 'from' | 'to' | 'protocol' | 'port' | 'family'>): string =>
  `${f.from.key}>${f.to.key}|${f.protocol}/${f.port}|${f.family}`;

/** A flow of the space, before it is judged: which ends, which port, which family. */
export type FlowSlot =
  | { readonly kind: 'pods'; readonly from: PodClass; readonly to: PodClass; readonly probe: PortProbe; readonly family: 4 | 6 }
  | { readonly kind: 'service'; readonly from: PodClass; readonly service: Service; readonly servicePort: ServicePort; readonly family: 4 | 6 }
  | { readonly kind: 'outside'; readonly address: string; readonly pods: PodClass; readonly inbound: boolean; readonly probe: PortProbe; readonly family: 4 | 6 }
  /** A pod class (or an outside address, `from` null) to `node:NODE:nodePort`, judged in legs as explain does. */
  | { readonly kind: 'nodePort'; readonly from: PodClass | null; readonly address: string | null; readonly node: Node; readonly service: Service; readonly servicePort: ServicePort; readonly family: 4 | 6 };

/** A verdict and what decided it: the deciding rows of one path, or explain's text for a Service. */
export type Judgement = HopsJudgement | { readonly verdict: Verdict; readonly text: string };

/** `deny: NetworkPolicy shop/db-ingress rule ingress/default-drop` (worked out only for flows shown). */
export const judgementText = (j: Judgement): string => ('text' in j ? j.text : directRuleText(j.verdict, j.rows));

/**
 * One version's rows, ready to judge the flows of a flow space with explain's engine: pod
 * classes to pod classes (one representative pair each: the same rows match every pod of a
 * class), pod classes to every Service VIP port (after DNAT, every backend, as `explain svc:`), and
 * outside addresses to and from every class, on every family both ends have. A pod-to-pod or
 * outside flow is one pass through the switch judged by judgeHops (explain's stages without the
 * explanation); anything else goes through judgeFlow (explain without the explanation).
 */
export class ClassFlowJudge {
  readonly program: AclProgram;
  private readonly classByKey: ReadonlyMap<string, PodClass>;
  private readonly ends = new Map<PodClass, FlowEnd>();
  private readonly portNames = new Map<Pod, string>();
  private readonly podAddresses = new Map<Pod, Record<4 | 6, string | undefined>>();
  private readonly podIps: ReadonlySet<string>;
  /** Addresses explain does not take as a plain outside peer: VIPs, load balancers, node addresses. */
  private readonly specialAddresses: ReadonlySet<string>;
  private readonly probes = new Map<string, ProbeSpec>();

  constructor(
    private readonly input: { readonly inventory: Inventory; readonly rows: NbRows },
    readonly classes: readonly PodClass[],
    private readonly space: FlowSpace,
    private readonly options: ExplainOptions,
  ) {
    this.program = buildAclProgram(input.rows, () => portAddressesOf(input.inventory, options.portNameFor));
    this.classByKey = new Map(classes.map((c) => [c.key, c]));
    for (const c of classes) this.ends.set(c, { key: c.key, kind: 'pods', namespace: c.namespace, label: c.label, pods: c.pods.length });
    this.podIps = new Set(input.inventory.pods.flatMap((p) => p.ips));
    const special = new Set<string>();
    for (const s of input.inventory.services) for (const ip of [...s.clusterIPs, ...s.loadBalancerIngress]) special.add(canonicalIp(ip) ?? ip);
    for (const n of input.inventory.nodes) for (const ip of [...n.joinIps, ...n.addresses.map((a) => a.address)]) special.add(canonicalIp(ip) ?? ip);
    this.specialAddresses = special;
  }

  /** Every flow of the space, in a fixed order (pods to pods, to Services, outside addresses). */
  forEachSlot(visit: (slot: FlowSlot) => void): void {
    for (const from of this.classes) {
      for (const to of this.classes) {
        if (!representatives(from, to)) continue;
        for (const family of from.families) {
          if (!to.families.includes(family)) continue;
          for (const probe of this.space.ports) visit({ kind: 'pods', from, to, probe, family });
        }
      }
    }
    for (const service of this.input.inventory.services) {
      if (service.clusterIPs.length === 0) continue;
      const vipFamilies = new Set(service.clusterIPs.map((ip) => parseIp(ip)!.family));
      for (const servicePort of service.ports) {
        for (const from of this.classes) {
          for (const family of from.families) if (vipFamilies.has(family)) visit({ kind: 'service', from, service, servicePort, family });
        }
      }
    }
    this.forEachNodePortSlot(visit);
    for (const address of this.space.outside) {
      if (this.podIps.has(address)) continue;
      const family = parseIp(address)!.family;
      for (const pods of this.classes) {
        if (!pods.families.includes(family)) continue;
        for (const probe of this.space.ports) {
          visit({ kind: 'outside', address, pods, inbound: true, probe, family });
          visit({ kind: 'outside', address, pods, inbound: false, probe, family });
        }
      }
    }
  }

  /**
   * With Nodes in the input: every pod class and every outside address to `node:NODE:nodePort`
   * of every NodePort/LoadBalancer Service port with a nodePort, on each family the node has an
   * address in (issue 15: impact takes the flows explain and nbgen test take).
   */
  private forEachNodePortSlot(visit: (slot: FlowSlot) => void): void {
    const { nodes, services } = this.input.inventory;
    if (nodes.length === 0) return;
    const outside = this.space.outside.filter((a) => !this.podIps.has(a));
    for (const service of services) {
      if (service.type !== 'NodePort' && service.type !== 'LoadBalancer') continue;
      for (const servicePort of service.ports) {
        if (servicePort.nodePort === null) continue;
        for (const node of nodes) {
          for (const family of [4, 6] as const) {
            if (nodeAddressOf(node, family) === null) continue;
            for (const from of this.classes) if (from.families.includes(family)) visit({ kind: 'nodePort', from, address: null, node, service, servicePort, family });
            for (const address of outside) if (parseIp(address)!.family === family) visit({ kind: 'nodePort', from: null, address, node, service, servicePort, family });
          }
        }
      }
    }
  }

  /** The slot's verdict in this version; null when explain refuses the flow (an address that is a VIP). */
  judge(slot: FlowSlot): Judgement | null {
    switch (slot.kind) {
      case 'pods': {
        const [from, to] = representatives(slot.from, slot.to)!;
        return this.judgePods(from, to, slot.probe.protocol, slot.probe.port, slot.family);
      }
      case 'service': {
        const { service, servicePort, family } = slot;
        const query = { from: podRef(slot.from.pods[0]!), to: `svc:${service.namespace}/${service.name}:${servicePort.port}`, port: servicePort.port, protocol: servicePort.protocol, family };
        const e = judgeFlow(this.program, this.input.inventory, query, this.options);
        return { verdict: e.verdict, text: decidingRuleText(e) };
      }
      case 'outside':
        return this.judgeOutside(slot);
      case 'nodePort': {
        const { node, servicePort, family } = slot;
        const query = { from: slot.from ? podRef(slot.from.pods[0]!) : slot.address!, to: `node:${node.name}:${servicePort.nodePort}`, port: servicePort.nodePort!, protocol: servicePort.protocol, family };
        try {
          const e = judgeFlow(this.program, this.input.inventory, query, this.options);
          return { verdict: e.verdict, text: decidingRuleText(e) };
        } catch (error) {
          // A node without the address or join address explain needs, a nodePort two Services claim.
          if (error instanceof FlowQueryError) return null;
          throw error;
        }
      }
    }
  }

  /**
   * The same flow in this version (the slot comes from another version's judge): its classes,
   * Service and address found by identity; null when this version has no such flow.
   */
  sameSlot(other: FlowSlot): FlowSlot | null {
    switch (other.kind) {
      case 'pods': {
        const from = this.classByKey.get(other.from.key);
        const to = this.classByKey.get(other.to.key);
        return from && to && representatives(from, to) ? { ...other, from, to } : null;
      }
      case 'service': {
        const from = this.classByKey.get(other.from.key);
        const service = this.input.inventory.services.find((s) => s.namespace === other.service.namespace && s.name === other.service.name);
        const servicePort = service?.ports.find((p) => p.port === other.servicePort.port && p.protocol === other.servicePort.protocol);
        if (!from || !service || !servicePort || !service.clusterIPs.some((ip) => parseIp(ip)!.family === other.family)) return null;
        return { ...other, from, service, servicePort };
      }
      case 'outside': {
        const pods = this.classByKey.get(other.pods.key);
        return pods && !this.podIps.has(other.address) ? { ...other, pods } : null;
      }
      case 'nodePort': {
        const from = other.from ? this.classByKey.get(other.from.key) : null;
        const node = this.input.inventory.nodes.find((n) => n.name === other.node.name);
        const service = this.input.inventory.services.find((s) => s.namespace === other.service.namespace && s.name === other.service.name);
        const servicePort = service?.ports.find((p) => p.nodePort === other.servicePort.nodePort && p.protocol === other.servicePort.protocol);
        if (from === undefined || (other.address !== null && this.podIps.has(other.address)) || !node || !servicePort) return null;
        return { ...other, from, node, service: service!, servicePort };
      }
    }
  }

  /** The slot as a judged flow of the output, with the rule text. */
  judged(slot: FlowSlot, judgement: Judgement): JudgedClassFlow {
    return { ...this.slotEnds(slot), family: slot.family, verdict: judgement.verdict, rule: judgementText(judgement) };
  }

  /** Ends, port and protocol of a slot: what identifies it across versions (flowKey). */
  slotEnds(slot: FlowSlot): Pick<JudgedClassFlow, 'from' | 'to' | 'protocol' | 'port' | 'otherPort'> {
    switch (slot.kind) {
      case 'pods':
        return { from: this.ends.get(slot.from)!, to: this.ends.get(slot.to)!, ...portOf(slot.probe) };
      case 'service': {
        const { service, servicePort: sp } = slot;
        const to: FlowEnd = { key: `svc:${service.namespace}/${service.name}:${sp.port}/${sp.protocol}`, kind: 'service', namespace: service.namespace, label: `svc:${service.namespace}/${service.name}:${sp.port}`, pods: 1 };
        return { from: this.ends.get(slot.from)!, to, protocol: sp.protocol, port: sp.port, otherPort: false };
      }
      case 'outside': {
        const outside: FlowEnd = { key: `ip:${slot.address}`, kind: 'address', namespace: null, label: slot.address, pods: 1 };
        const pods = this.ends.get(slot.pods)!;
        return { from: slot.inbound ? outside : pods, to: slot.inbound ? pods : outside, ...portOf(slot.probe) };
      }
      case 'nodePort': {
        const { node, service, servicePort: sp } = slot;
        const from: FlowEnd = slot.from ? this.ends.get(slot.from)! : { key: `ip:${slot.address}`, kind: 'address', namespace: null, label: slot.address!, pods: 1 };
        const to: FlowEnd = { key: `node:${node.name}:${sp.nodePort}/${sp.protocol}`, kind: 'node', namespace: service.namespace, label: `node:${node.name}:${sp.nodePort} (svc:${service.namespace}/${service.name}:${sp.port})`, pods: 1 };
        return { from, to, protocol: sp.protocol, port: sp.nodePort!, otherPort: false };
      }
    }
  }

  /** Pod to pod, one pass through the switch: explain's `--from NS/POD --to NS/POD`. */
  judgePods(from: Pod, to: Pod, protocol: FlowProtocol, port: number | null, family: 4 | 6): HopsJudgement {
    return judgeDirect(this.program, this.probe(protocol, family), this.portName(from), this.portName(to), this.ipOf(from, family), this.ipOf(to, family), port);
  }

  /**
   * An address outside the cluster to or from a pod: one pass between the router port and the
   * pod's port, as explain's direct flow. An address explain reads as something else (a VIP, a
   * load balancer, a node's address that may be a NodePort) is judged by explain itself.
   */
  private judgeOutside(slot: Extract<FlowSlot, { kind: 'outside' }>): Judgement | null {
    const pod = slot.pods.pods[0]!;
    const { protocol, port } = slot.probe;
    if (!this.specialAddresses.has(slot.address)) {
      const [podPort, podIp] = [this.portName(pod), this.ipOf(pod, slot.family)];
      const probe = this.probe(protocol, slot.family);
      return slot.inbound
        ? judgeDirect(this.program, probe, ROUTER_PORT, podPort, slot.address, podIp, port)
        : judgeDirect(this.program, probe, podPort, ROUTER_PORT, podIp, slot.address, port);
    }
    const [from, to] = slot.inbound ? [slot.address, podRef(pod)] : [podRef(pod), slot.address];
    try {
      const e = judgeFlow(this.program, this.input.inventory, { from, to, port, protocol, family: slot.family }, this.options);
      return { verdict: e.verdict, text: decidingRuleText(e) };
    } catch (error) {
      // An address a Service owns as its VIP is not an outside peer.
      if (error instanceof FlowQueryError) return null;
      throw error;
    }
  }

  /** The pod's address in `family` (it has one: classes and flows are per family the pods have). */
  private ipOf(pod: Pod, family: 4 | 6): string {
    let byFamily = this.podAddresses.get(pod);
    if (!byFamily) {
      byFamily = { 4: ipOf(pod, 4), 6: ipOf(pod, 6) };
      this.podAddresses.set(pod, byFamily);
    }
    return byFamily[family]!;
  }

  private portName(pod: Pod): string {
    let name = this.portNames.get(pod);
    if (name === undefined) {
      name = this.options.portNameFor(pod);
      this.portNames.set(pod, name);
    }
    return name;
  }

  private probe(protocol: FlowProtocol, family: 4 | 6): ProbeSpec {
    const key = `${protocol}/${family}`;
    let probe = this.probes.get(key);
    if (!probe) {
      probe = { family, protocol: protocol.toLowerCase() as L4Name, sourcePort: this.options.sourcePort ?? DEFAULT_SOURCE_PORT };
      this.probes.set(key, probe);
    }
    return probe;
  }
}

/**
 * Every flow of the space in one version, judged with explain's engine (see ClassFlowJudge).
 */
export function judgeFlowSpace(
  input: { readonly inventory: Inventory; readonly rows: NbRows },
  classes: readonly PodClass[],
  space: FlowSpace,
  options: ExplainOptions,
): JudgedClassFlow[] {
  const judge = new ClassFlowJudge(input, classes, space, options);
  const out: JudgedClassFlow[] = [];
  judge.forEachSlot((slot) => {
    const judgement = judge.judge(slot);
    if (judgement) out.push(judge.judged(slot, judgement));
  });
  return out;
}

/** The pair judged for two classes: their first pods, or two pods of one class (none: one pod, loopback). */
export function representatives(from: PodClass, to: PodClass): [Pod, Pod] | null {
  if (from !== to) return [from.pods[0]!, to.pods[0]!];
  return from.pods.length > 1 ? [from.pods[0]!, from.pods[1]!] : null;
}

const portOf = (probe: PortProbe) => ({ protocol: probe.protocol, port: probe.port, otherPort: probe.other });
const podRef = (pod: Pod): string => `${pod.namespace}/${pod.name}`;
const ipOf = (pod: Pod, family: 4 | 6): string => pod.ips.find((ip) => parseIp(ip)!.family === family)!;

/** Pod to pod, one pass through the switch: what explain does for `--from NS/POD --to NS/POD`. */
export function judgePods(
  program: AclProgram,
  from: Pod,
  to: Pod,
  protocol: FlowProtocol,
  port: number | null,
  family: 4 | 6,
  options: ExplainOptions,
): Pick<JudgedClassFlow, 'verdict' | 'rule'> {
  const hop = { inport: options.portNameFor(from), outport: options.portNameFor(to), src: ipOf(from, family), dst: { ip: ipOf(to, family), port } };
  const spec = { family, protocol: protocol.toLowerCase() as L4Name, sourcePort: options.sourcePort ?? DEFAULT_SOURCE_PORT };
  const { verdict, rows } = judgeDirect(program, spec, hop.inport, hop.outport, hop.src, hop.dst.ip, hop.dst.port);
  return { verdict, rule: directRuleText(verdict, rows) };
}
