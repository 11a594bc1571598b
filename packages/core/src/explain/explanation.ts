import type { L4Protocol } from '../model/inventory.js';
import type { ChainStep } from './chain.js';
import type { Verdict } from './evaluateStage.js';
import type { NodePortLeg } from './nodePort.js';
import type { TracedPath } from './path.js';

// What explainFlow answers, apart from explainFlow itself so that what reads an explanation (hints)
// does not import the engine that makes it.

export type FlowProtocol = L4Protocol | 'ICMP';

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
  /** NodePort/LoadBalancer: the node whose kube-proxy forwards this path, and the source it leaves. */
  readonly kubeProxy?: { readonly node: string; readonly source: string };
}

/** A path with its decision chain: the Passes and the deciding rows, in pipeline order. */
export interface ExplainedPath extends FlowPath {
  readonly chain: readonly ChainStep[];
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
  readonly paths: readonly ExplainedPath[];
  /** Why there is no path at all (e.g. a Service without endpoints). */
  readonly note: string | null;
  /** Plain-language reasons for common surprises (Service port vs target port, isolation). */
  readonly hints: readonly string[];
  /** A Service reached through a node's NodePort: the kube-proxy leg between the OVN legs. */
  readonly nodePort?: NodePortLeg;
}
