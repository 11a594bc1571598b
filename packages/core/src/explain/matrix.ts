import { isOvnPod, type Inventory, type Pod } from '../model/inventory.js';
import type { NbRows } from '../rows/index.js';
import { buildAclProgram } from './aclProgram.js';
import { addressOf, type Endpoint } from './endpoints.js';
import { DEFAULT_SOURCE_PORT, portAddressesOf, type ExplainOptions, type FlowProtocol } from './explainFlow.js';
import { traceHops } from './path.js';
import type { Verdict } from './evaluateStage.js';
import type { L4Name } from './match/evaluate.js';

export interface MatrixProbe {
  readonly protocol: FlowProtocol;
  /** null for ICMP. */
  readonly port: number | null;
}

/** `none`: the two pods share no address family. */
export type MatrixCell = Verdict | 'none';

/** One probe's verdicts: cells[from][to], indexes into the matrix's rows (pods, or classes of pods). */
export interface ProbeTable<Cell> extends MatrixProbe {
  readonly cells: readonly (readonly Cell[])[];
}

/** One probe's verdicts between pods: cells[from][to], indexes into `pods`. */
export type MatrixTable = ProbeTable<MatrixCell>;

export interface ReachabilityMatrix {
  /** `namespace/name`, sorted; rows are sources, columns destinations. */
  readonly pods: readonly string[];
  readonly tables: readonly MatrixTable[];
  /**
   * With Nodes and NodePort/LoadBalancer Services (offline input): every pod to `node:NODE:nodePort`
   * and `LB_IP:port`, judged as `nbgen explain --to` those; absent otherwise.
   */
  readonly nodePorts?: NodePortTable;
}

export interface NodePortTable {
  /** `node:w1:30080`, `203.0.113.10:443` */
  readonly targets: readonly string[];
  /** cells[pod][target], indexes into `pods` and `targets`. */
  readonly cells: readonly (readonly MatrixCell[])[];
}

/**
 * Every pod to every pod, one table per probe, judged from the rows like `explain` (loopback to
 * itself is always allowed: it never reaches OVN). Pods without an OVN port are left out.
 */
export function reachabilityMatrix(
  input: { readonly inventory: Inventory; readonly rows: NbRows },
  probes: readonly MatrixProbe[],
  options: ExplainOptions,
): ReachabilityMatrix {
  const pods = input.inventory.pods
    .filter(isOvnPod)
    .sort((a, b) => (a.namespace === b.namespace ? cmp(a.name, b.name) : cmp(a.namespace, b.namespace)));
  const program = buildAclProgram(input.rows, () => portAddressesOf(input.inventory, options.portNameFor));
  const endpoint = (pod: Pod): Endpoint => ({ kind: 'pod', pod, label: `${pod.namespace}/${pod.name}` });
  const tables = probes.map((probe): MatrixTable => {
    const cells = pods.map((from) =>
      pods.map((to): MatrixCell => {
        if (from === to) return 'allow';
        const family = ([4, 6] as const).find((f) => addressOf(endpoint(from), f) !== null && addressOf(endpoint(to), f) !== null);
        if (family === undefined) return 'none';
        const hop = {
          inport: options.portNameFor(from),
          outport: options.portNameFor(to),
          src: addressOf(endpoint(from), family)!,
          dst: { ip: addressOf(endpoint(to), family)!, port: probe.port },
        };
        const spec = { family, protocol: probe.protocol.toLowerCase() as L4Name, sourcePort: options.sourcePort ?? DEFAULT_SOURCE_PORT };
        return traceHops(program, spec, [hop]).verdict;
      }),
    );
    return { ...probe, cells };
  });
  return { pods: pods.map((p) => `${p.namespace}/${p.name}`), tables };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
