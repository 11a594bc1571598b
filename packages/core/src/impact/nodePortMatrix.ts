import { decidingRuleText } from '../explain/decidingRule.js';
import { judgeFlow, type ExplainOptions, type FlowProtocol } from '../explain/explainFlow.js';
import { nodeAddressOf } from '../explain/nodePort.js';
import { FlowQueryError } from '../explain/queryError.js';
import type { AclProgram } from '../explain/aclProgram.js';
import type { Inventory, Pod } from '../model/inventory.js';
import { parseIp } from '../net/ip.js';
import type { ClassCell } from './classCell.js';
import type { PodClass } from './podClasses.js';

/** A destination column reached through a node: `node:w1:30080` or a load balancer `203.0.113.10:443`. */
export interface NodePortColumn {
  /** `node:w1:30080` or `203.0.113.10:443`: what `nbgen explain --to` takes (with --port for a load balancer). */
  readonly target: string;
  /** explain's `--to`: `node:w1:30080`, or the load balancer's address. */
  readonly to: string;
  readonly port: number;
  readonly protocol: FlowProtocol;
  /** The families the node (or the load balancer address) can be reached on. */
  readonly families: readonly (4 | 6)[];
  /** `svc:shop/web:80` */
  readonly service: string;
  /** A LoadBalancer ingress IP (kube-proxy on the client's node takes it), not a node's nodePort. */
  readonly loadBalancer: boolean;
}

/** One row of the node-port table: the pods of a class that run on one node (null: no node). */
export interface NodePortRow {
  /** Index into the class matrix's classes. */
  readonly classIndex: number;
  readonly node: string | null;
  /** cells[column], indexes into the columns. */
  readonly cells: readonly ClassCell[];
}

export interface NodePortMatrix {
  readonly columns: readonly NodePortColumn[];
  readonly rows: readonly NodePortRow[];
}

/**
 * `node:NODE:nodePort` for every Node with an address × every nodePort of a NodePort or
 * LoadBalancer Service, then `IP:port` for every LoadBalancer ingress IP × Service port; empty
 * without Nodes (explain cannot place a NodePort flow without them).
 */
export function nodePortColumns(inventory: Inventory): NodePortColumn[] {
  if (inventory.nodes.length === 0) return [];
  const exposed = inventory.services.filter((s) => s.type === 'NodePort' || s.type === 'LoadBalancer');
  const columns: NodePortColumn[] = [];
  const nodes = [...inventory.nodes].sort((a, b) => cmp(a.name, b.name));
  for (const node of nodes) {
    const families = ([4, 6] as const).filter((f) => nodeAddressOf(node, f) !== null);
    if (families.length === 0) continue;
    for (const service of exposed) {
      for (const sp of service.ports) {
        if (sp.nodePort === null) continue;
        const target = `node:${node.name}:${sp.nodePort}`;
        columns.push({ target, to: target, port: sp.nodePort, protocol: sp.protocol, families, service: `svc:${service.namespace}/${service.name}:${sp.port}`, loadBalancer: false });
      }
    }
  }
  for (const service of exposed) {
    if (service.type !== 'LoadBalancer') continue;
    for (const ip of service.loadBalancerIngress) {
      const family = parseIp(ip)?.family;
      if (family === undefined) continue;
      for (const sp of service.ports) {
        const shown = family === 6 ? `[${ip}]` : ip;
        columns.push({ target: `${shown}:${sp.port}`, to: ip, port: sp.port, protocol: sp.protocol, families: [family], service: `svc:${service.namespace}/${service.name}:${sp.port}`, loadBalancer: true });
      }
    }
  }
  return columns;
}

/**
 * Every class of pods, split by the node its pods run on (the source's node decides which
 * kube-proxy takes a load balancer's flow), to every column,
 * judged by judgeFlow exactly as `nbgen explain --from POD --to node:NODE:PORT` (on the first
 * family both ends have, IPv4 first). A flow explain refuses (a nodePort two Services claim) is
 * `none`, like a pair without a common family.
 */
export function nodePortMatrix(
  program: AclProgram,
  inventory: Inventory,
  classes: readonly PodClass[],
  options: ExplainOptions,
): NodePortMatrix {
  const columns = nodePortColumns(inventory);
  if (columns.length === 0) return { columns, rows: [] };
  const rows: NodePortRow[] = [];
  const judge = (c: PodClass, pod: Pod, column: NodePortColumn): ClassCell => {
    const family = column.families.find((f) => c.families.includes(f));
    if (family === undefined) return NONE;
    const query = { from: `${pod.namespace}/${pod.name}`, to: column.to, port: column.port, protocol: column.protocol, family };
    try {
      const e = judgeFlow(program, inventory, query, options);
      return { verdict: e.verdict, family, rule: decidingRuleText(e) };
    } catch (error) {
      if (error instanceof FlowQueryError) return NONE;
      throw error;
    }
  };
  classes.forEach((c, classIndex) => {
    const byNode = new Map<string | null, Pod>();
    for (const pod of c.pods) if (!byNode.has(pod.nodeName)) byNode.set(pod.nodeName, pod);
    const nodes = [...byNode.keys()].sort((a, b) => cmp(a ?? '', b ?? ''));
    // A NodePort's legs do not depend on the client pod's node (its egress, then kube-proxy on the
    // target node): judged once per class. A load balancer's do (kube-proxy on the client's node).
    const first = byNode.get(nodes[0]!)!;
    const nodeCells = columns.map((column) => (column.loadBalancer ? null : judge(c, first, column)));
    for (const node of nodes) {
      const pod = byNode.get(node)!;
      rows.push({ classIndex, node, cells: columns.map((column, j) => nodeCells[j] ?? judge(c, pod, column)) });
    }
  });
  return { columns, rows };
}

const NONE: ClassCell = { verdict: 'none', family: null, rule: '' };
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
