import { buildAclProgram } from '../explain/aclProgram.js';
import type { Verdict } from '../explain/evaluateStage.js';
import { portAddressesOf, type ExplainOptions } from '../explain/explainFlow.js';
import type { MatrixProbe, ReachabilityMatrix } from '../explain/matrix.js';
import type { Model } from '../model/model.js';
import type { NbRows } from '../rows/index.js';
import { flowSpace } from './flowSpace.js';
import { judgePods, representatives } from './judge.js';
import { podClasses, type PodClass } from './podClasses.js';

/** `self`: a class of one pod to itself (loopback, never in OVN); `none`: no common family. */
export interface ClassCell {
  readonly verdict: Verdict | 'none' | 'self';
  readonly family: 4 | 6 | null;
  /** `deny: NetworkPolicy x/a rule ingress/default-drop`; empty for self and none. */
  readonly rule: string;
}

export interface ClassMatrixTable extends MatrixProbe {
  /** cells[from][to], indexes into `classes`. */
  readonly cells: readonly (readonly ClassCell[])[];
}

export interface ClassMatrix {
  /** Sorted by namespace, then label. */
  readonly classes: readonly PodClass[];
  readonly tables: readonly ClassMatrixTable[];
}

/**
 * The reachability matrix per class of pods (podClasses): one judged pair per pair of classes
 * and probe, on the first family both have (IPv4 first), as `reachabilityMatrix` does per pod.
 * 2,000 pods in a few hundred classes are a few hundred thousand judgements, not millions.
 */
export function classMatrix(input: { readonly inventory: Model; readonly rows: NbRows }, probes: readonly MatrixProbe[], options: ExplainOptions): ClassMatrix {
  const classes = podClasses(input.inventory, flowSpace([input.inventory]));
  const program = buildAclProgram(input.rows, portAddressesOf(input.inventory, options.portNameFor));
  const tables = probes.map((probe): ClassMatrixTable => ({
    ...probe,
    cells: classes.map((from) =>
      classes.map((to): ClassCell => {
        const pair = representatives(from, to);
        if (!pair) return { verdict: 'self', family: null, rule: '' };
        const family = from.families.find((f) => to.families.includes(f));
        if (family === undefined) return { verdict: 'none', family: null, rule: '' };
        return { ...judgePods(program, pair[0], pair[1], probe.protocol, probe.port, family, options), family };
      }),
    ),
  }));
  return { classes, tables };
}

/** Back to one row and column per pod (what `nbgen matrix` prints as text and JSON). */
export function expandClassMatrix(m: ClassMatrix): ReachabilityMatrix {
  const entries = m.classes.flatMap((c, index) => c.pods.map((pod) => ({ pod, name: `${pod.namespace}/${pod.name}`, index })));
  entries.sort((a, b) => cmp(a.pod.namespace, b.pod.namespace) || cmp(a.pod.name, b.pod.name));
  return {
    pods: entries.map((e) => e.name),
    tables: m.tables.map((t) => ({
      protocol: t.protocol,
      port: t.port,
      cells: entries.map((from) =>
        entries.map((to) => {
          if (from === to) return 'allow';
          const cell = t.cells[from.index]![to.index]!;
          return cell.verdict === 'self' ? 'allow' : cell.verdict;
        }),
      ),
    })),
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
