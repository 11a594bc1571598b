import { directRuleText } from '../explain/decidingRule.js';
import type { ExplainOptions } from '../explain/explainFlow.js';
import type { MatrixCell, MatrixProbe, ProbeTable, ReachabilityMatrix } from '../explain/matrix.js';
import type { Model } from '../model/model.js';
import type { NbRows } from '../rows/index.js';
import { flowSpace } from './flowSpace.js';
import type { ClassCell } from './classCell.js';
import { ClassFlowJudge, representatives } from './judge.js';
import { nodePortMatrix, type NodePortMatrix } from './nodePortMatrix.js';
import { podClasses, type PodClass } from './podClasses.js';

export type { ClassCell } from './classCell.js';

/** One probe's verdicts between classes: cells[from][to], indexes into `classes`. */
export type ClassMatrixTable = ProbeTable<ClassCell>;

export interface ClassMatrix {
  /** Sorted by namespace, then label. */
  readonly classes: readonly PodClass[];
  readonly tables: readonly ClassMatrixTable[];
  /** With Nodes and NodePort/LoadBalancer Services: every class (per node) to every node port; else absent. */
  readonly nodePorts?: NodePortMatrix;
}

/**
 * The reachability matrix per class of pods (podClasses): one judged pair per pair of classes
 * and probe, on the first family both have (IPv4 first), as `reachabilityMatrix` does per pod.
 * 2,000 pods in a few hundred classes are a few hundred thousand judgements, not millions.
 * `nodePorts`: also every class to the nodes' NodePorts and the load balancers (nodePortMatrix),
 * when the input has Nodes and such Services.
 */
export function classMatrix(
  input: { readonly inventory: Model; readonly rows: NbRows },
  probes: readonly MatrixProbe[],
  options: ExplainOptions,
  extra: { readonly nodePorts?: boolean } = {},
): ClassMatrix {
  const space = flowSpace([input.inventory]);
  const classes = podClasses(input.inventory, space);
  const judge = new ClassFlowJudge(input, classes, space, options);
  const tables = probes.map((probe): ClassMatrixTable => ({
    ...probe,
    cells: classes.map((from) =>
      classes.map((to): ClassCell => {
        const pair = representatives(from, to);
        if (!pair) return SELF;
        const family = from.families.find((f) => to.families.includes(f));
        if (family === undefined) return NONE;
        const { verdict, rows } = judge.judgePods(pair[0], pair[1], probe.protocol, probe.port, family);
        return { verdict, family, rule: directRuleText(verdict, rows) };
      }),
    ),
  }));
  if (!extra.nodePorts) return { classes, tables };
  const nodePorts = nodePortMatrix(judge.program, input.inventory, classes, options);
  return nodePorts.columns.length === 0 ? { classes, tables } : { classes, tables, nodePorts };
}

const SELF: ClassCell = { verdict: 'self', family: null, rule: '' };
const NONE: ClassCell = { verdict: 'none', family: null, rule: '' };

/** Back to one row and column per pod (what `nbgen matrix` prints as text and JSON). */
export function expandClassMatrix(m: ClassMatrix): ReachabilityMatrix {
  const entries = m.classes.flatMap((c, index) => c.pods.map((pod) => ({ pod, name: `${pod.namespace}/${pod.name}`, index })));
  entries.sort((a, b) => cmp(a.pod.namespace, b.pod.namespace) || cmp(a.pod.name, b.pod.name));
  const tables = m.tables.map((t) => {
    // The pods of a class have one row (2,000 pods: 4 million cells a table), copied per pod
    // with its own cell set to allow (a pod reaches itself: loopback never enters OVN).
    const classRows = t.cells.map((row) => entries.map((to): MatrixCell => {
      const cell = row[to.index]!;
      return cell.verdict === 'self' ? 'allow' : cell.verdict;
    }));
    return {
      protocol: t.protocol,
      port: t.port,
      cells: entries.map((from, i) => {
        const row = classRows[from.index]!.slice();
        row[i] = 'allow';
        return row;
      }),
    };
  });
  const pods = entries.map((e) => e.name);
  if (!m.nodePorts) return { pods, tables };
  const { columns, rows } = m.nodePorts;
  const rowOf = new Map(rows.map((r) => [`${r.classIndex}/${r.node ?? ''}`, r]));
  return {
    pods,
    tables,
    nodePorts: {
      targets: columns.map((c) => c.target),
      cells: entries.map((e) => rowOf.get(`${e.index}/${e.pod.nodeName ?? ''}`)!.cells.map((c): MatrixCell => (c.verdict === 'self' ? 'allow' : c.verdict))),
    },
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
