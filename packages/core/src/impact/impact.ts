import type { ExplainOptions } from '../explain/explainFlow.js';
import type { Model } from '../model/model.js';
import type { NbRows } from '../rows/index.js';
import { flowSpace } from './flowSpace.js';
import { flowKey, judgeFlowSpace, type FlowEnd, type JudgedClassFlow } from './judge.js';
import { podClasses } from './podClasses.js';

export interface CompiledVersion {
  readonly model: Model;
  readonly rows: NbRows;
}

/** Flows between the same ends on the same port whose verdict changed the same way. */
export interface ImpactChange {
  readonly from: FlowEnd;
  readonly to: FlowEnd;
  readonly protocol: JudgedClassFlow['protocol'];
  readonly port: number;
  readonly otherPort: boolean;
  readonly families: readonly (4 | 6)[];
  readonly change: 'opened' | 'closed';
  /** The rule deciding after the change, and before it. */
  readonly after: string;
  readonly before: string;
}

export interface Impact {
  /** Flows judged in both versions (one per class pair, port and family). */
  readonly flowsCompared: number;
  readonly changes: readonly ImpactChange[];
  /** Every flow of the after version (for the matrix of the HTML page). */
  readonly afterFlows: readonly JudgedClassFlow[];
  /** Keys (flowKey) of the flows whose verdict changed. */
  readonly changedKeys: ReadonlySet<string>;
}

/**
 * What a change opens or closes: both versions judged on one flow space (ports, CIDRs and pod
 * classes of either), compared flow by flow, grouped per source, destination and port.
 *
 *   impactOf({ model: m1, rows: r1 }, { model: m2, rows: r2 }, { portNameFor: kubeOvnPortName }).changes
 */
export function impactOf(before: CompiledVersion, after: CompiledVersion, options: ExplainOptions): Impact {
  const space = flowSpace([before.model, after.model]);
  const judge = (v: CompiledVersion) => judgeFlowSpace({ inventory: v.model, rows: v.rows }, podClasses(v.model, space), space, options);
  const beforeFlows = new Map(judge(before).map((f) => [flowKey(f), f]));
  const afterFlows = judge(after);
  const groups = new Map<string, { flow: JudgedClassFlow; was: JudgedClassFlow; families: (4 | 6)[] }>();
  const changedKeys = new Set<string>();
  let compared = 0;
  for (const flow of afterFlows) {
    const key = flowKey(flow);
    const was = beforeFlows.get(key);
    if (!was) continue;
    compared++;
    if (was.verdict === flow.verdict) continue;
    changedKeys.add(key);
    // The families of one pair and port are one line; the rules shown are the first family’s.
    const group = `${flow.from.key}>${flow.to.key}|${flow.protocol}/${flow.port}|${flow.verdict}`;
    const g = groups.get(group);
    if (g) g.families.push(flow.family);
    else groups.set(group, { flow, was, families: [flow.family] });
  }
  const changes = [...groups.values()].map(
    ({ flow, was, families }): ImpactChange => ({
      from: flow.from,
      to: flow.to,
      protocol: flow.protocol,
      port: flow.port,
      otherPort: flow.otherPort,
      families: [...new Set(families)].sort(),
      change: flow.verdict === 'allow' ? 'opened' : 'closed',
      after: flow.rule,
      before: was.rule,
    }),
  );
  changes.sort(
    (a, b) =>
      cmp(a.change === 'closed' ? 0 : 1, b.change === 'closed' ? 0 : 1) ||
      cmp(a.from.label, b.from.label) ||
      cmp(a.to.label, b.to.label) ||
      cmp(a.protocol, b.protocol) ||
      a.port - b.port,
  );
  return { flowsCompared: compared, changes, afterFlows, changedKeys };
}

const cmp = <T extends string | number>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);
