import type { ExplainOptions } from '../explain/explainFlow.js';
import type { Model } from '../model/model.js';
import type { NbRows } from '../rows/index.js';
import { flowSpace } from './flowSpace.js';
import { ClassFlowJudge, flowKey, type FlowEnd, type JudgedClassFlow } from './judge.js';
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
  /**
   * With `afterFlows: true`, the after version's pod-to-pod flows on every port/protocol where a
   * pod-to-pod flow changed (the matrices of the HTML page); null otherwise: flows are compared
   * as they are judged, not kept (2,000 pods are millions of flows).
   */
  readonly afterFlows: readonly JudgedClassFlow[] | null;
  /** Keys (flowKey) of the flows whose verdict changed. */
  readonly changedKeys: ReadonlySet<string>;
}

/**
 * What a change opens or closes: both versions judged on one flow space (ports, CIDRs and pod
 * classes of either), compared flow by flow as the after version's flows are enumerated (each
 * flow judged in both versions, then dropped unless its verdict changed), grouped per source,
 * destination and port.
 *
 *   impactOf({ model: m1, rows: r1 }, { model: m2, rows: r2 }, { portNameFor: kubeOvnPortName }).changes
 */
export interface ImpactOptions extends ExplainOptions {
  /** Keep the after version's matrices on the changed ports (impactPage needs them). */
  readonly afterFlows?: boolean;
}

export function impactOf(before: CompiledVersion, after: CompiledVersion, options: ImpactOptions): Impact {
  const space = flowSpace([before.model, after.model]);
  const judgeOf = (v: CompiledVersion) => new ClassFlowJudge({ inventory: v.model, rows: v.rows }, podClasses(v.model, space), space, options);
  const was = judgeOf(before);
  const now = judgeOf(after);
  const groups = new Map<string, { flow: JudgedClassFlow; was: JudgedClassFlow; families: (4 | 6)[] }>();
  const changedKeys = new Set<string>();
  const changedPodPorts = new Set<string>();
  let compared = 0;
  now.forEachSlot((slot) => {
    const beforeSlot = was.sameSlot(slot);
    if (!beforeSlot) return;
    const afterJudgement = now.judge(slot);
    if (!afterJudgement) return;
    const beforeJudgement = was.judge(beforeSlot);
    if (!beforeJudgement) return;
    compared++;
    if (beforeJudgement.verdict === afterJudgement.verdict) return;
    const flow = now.judged(slot, afterJudgement);
    changedKeys.add(flowKey(flow));
    if (slot.kind === 'pods') changedPodPorts.add(`${flow.protocol}/${flow.port}`);
    // The families of one pair and port are one line; the rules shown are the first family’s.
    const group = `${flow.from.key}>${flow.to.key}|${flow.protocol}/${flow.port}|${flow.verdict}`;
    const g = groups.get(group);
    if (g) g.families.push(flow.family);
    else groups.set(group, { flow, was: was.judged(beforeSlot, beforeJudgement), families: [flow.family] });
  });
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
  const afterFlows: JudgedClassFlow[] | null = options.afterFlows ? [] : null;
  if (afterFlows && changedPodPorts.size > 0) {
    now.forEachSlot((slot) => {
      if (slot.kind !== 'pods' || !changedPodPorts.has(`${slot.probe.protocol}/${slot.probe.port}`)) return;
      afterFlows.push(now.judged(slot, now.judge(slot)!));
    });
  }
  return { flowsCompared: compared, changes, afterFlows, changedKeys };
}

const cmp = <T extends string | number>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);
