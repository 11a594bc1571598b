import { buildAclProgram, type AclProgram } from '../explain/aclProgram.js';
import { decidingRuleText } from '../explain/decidingRule.js';
import type { Verdict } from '../explain/evaluateStage.js';
import { DEFAULT_SOURCE_PORT, explainWithProgram, portAddressesOf, type ExplainOptions, type FlowProtocol } from '../explain/explainFlow.js';
import { FlowQueryError } from '../explain/queryError.js';
import type { L4Name } from '../explain/match/evaluate.js';
import { traceHops } from '../explain/path.js';
import type { Inventory, L4Protocol, Pod } from '../model/inventory.js';
import type { NbRows } from '../rows/index.js';
import { parseIp } from '../net/ip.js';
import type { FlowSpace, PortProbe } from './flowSpace.js';
import type { PodClass } from './podClasses.js';

/** One end of a judged flow: a class of pods, a Service VIP, or an address outside the cluster. */
export interface FlowEnd {
  /** Identity across versions. */
  readonly key: string;
  readonly kind: 'pods' | 'service' | 'address';
  readonly namespace: string | null;
  /** `shop/web-*`, `svc:shop/web:80`, `192.0.2.1`. */
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

/**
 * Every flow of the space in one version, judged with explain's engine: pod classes to pod
 * classes (one representative pair each: the same rows match every pod of a class), pod classes
 * to every Service VIP port (after DNAT, every backend, as `explain svc:`), and outside addresses
 * to and from every class, on every family both ends have.
 */
export function judgeFlowSpace(
  input: { readonly inventory: Inventory; readonly rows: NbRows },
  classes: readonly PodClass[],
  space: FlowSpace,
  options: ExplainOptions,
): JudgedClassFlow[] {
  const program = buildAclProgram(input.rows, portAddressesOf(input.inventory, options.portNameFor));
  const out: JudgedClassFlow[] = [];
  const ends = new Map(classes.map((c) => [c, classEnd(c)]));
  for (const from of classes) {
    for (const to of classes) {
      const pair = representatives(from, to);
      if (!pair) continue;
      for (const family of from.families.filter((f) => to.families.includes(f))) {
        for (const probe of space.ports) {
          const judged = judgePods(program, pair[0], pair[1], probe.protocol, probe.port, family, options);
          out.push({ from: ends.get(from)!, to: ends.get(to)!, ...portOf(probe), family, ...judged });
        }
      }
    }
  }
  for (const service of input.inventory.services) {
    if (service.clusterIPs.length === 0) continue;
    const vipFamilies = new Set(service.clusterIPs.map((ip) => parseIp(ip)!.family));
    for (const sp of service.ports) {
      const to: FlowEnd = { key: `svc:${service.namespace}/${service.name}:${sp.port}/${sp.protocol}`, kind: 'service', namespace: service.namespace, label: `svc:${service.namespace}/${service.name}:${sp.port}`, pods: 1 };
      for (const from of classes) {
        for (const family of from.families.filter((f) => vipFamilies.has(f))) {
          const query = { from: podRef(from.pods[0]!), to: `svc:${service.namespace}/${service.name}:${sp.port}`, port: sp.port, protocol: sp.protocol, family };
          const e = explainWithProgram(program, input.inventory, query, options);
          out.push({ from: ends.get(from)!, to, protocol: sp.protocol, port: sp.port, otherPort: false, family, verdict: e.verdict, rule: decidingRuleText(e) });
        }
      }
    }
  }
  const podIps = new Set(input.inventory.pods.flatMap((p) => p.ips));
  for (const address of space.outside) {
    if (podIps.has(address)) continue;
    const family = parseIp(address)!.family;
    const outside: FlowEnd = { key: `ip:${address}`, kind: 'address', namespace: null, label: address, pods: 1 };
    for (const c of classes) {
      if (!c.families.includes(family)) continue;
      for (const probe of space.ports) {
        for (const [from, to, fromEnd, toEnd] of [
          [address, podRef(c.pods[0]!), outside, ends.get(c)!],
          [podRef(c.pods[0]!), address, ends.get(c)!, outside],
        ] as const) {
          let e;
          try {
            e = explainWithProgram(program, input.inventory, { from, to, port: probe.port, protocol: probe.protocol, family }, options);
          } catch (error) {
            // An address a Service owns as its VIP is not an outside peer.
            if (error instanceof FlowQueryError) continue;
            throw error;
          }
          out.push({ from: fromEnd, to: toEnd, ...portOf(probe), family, verdict: e.verdict, rule: decidingRuleText(e) });
        }
      }
    }
  }
  return out;
}

function classEnd(c: PodClass): FlowEnd {
  return { key: c.key, kind: 'pods', namespace: c.namespace, label: c.label, pods: c.pods.length };
}

/** The pair judged for two classes: their first pods, or two pods of one class (none: one pod, loopback). */
export function representatives(from: PodClass, to: PodClass): [Pod, Pod] | null {
  if (from !== to) return [from.pods[0]!, to.pods[0]!];
  return from.pods.length > 1 ? [from.pods[0]!, from.pods[1]!] : null;
}

const portOf = (probe: PortProbe) => ({ protocol: probe.protocol, port: probe.port, otherPort: probe.other });
const podRef = (pod: Pod): string => `${pod.namespace}/${pod.name}`;

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
  const ipOf = (pod: Pod): string => pod.ips.find((ip) => parseIp(ip)!.family === family)!;
  const hop = { inport: options.portNameFor(from), outport: options.portNameFor(to), src: ipOf(from), dst: { ip: ipOf(to), port } };
  const spec = { family, protocol: protocol.toLowerCase() as L4Name, sourcePort: options.sourcePort ?? DEFAULT_SOURCE_PORT };
  const path = traceHops(program, spec, [hop], { trail: false });
  const rule = decidingRuleText({ verdict: path.verdict, service: null, note: null, paths: [{ ...path, destination: { label: podRef(to), ip: hop.dst.ip, logicalPort: hop.outport, port } }] });
  return { verdict: path.verdict, rule };
}
