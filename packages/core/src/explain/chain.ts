import type { Verdict } from './evaluateStage.js';
import type { AclStage } from './aclProgram.js';
import { originOf, type TracedPath } from './path.js';

/**
 * One step of the decision chain of a path: a Pass that handed the flow to the next tier, or the
 * row that decided a stage. Built from the trail alone, so a Pass reads the same on OVN with tiers
 * (a real `pass` row) as without (an emulated one): `Admin Pass by rule ingress/0/ip4 of
 * ClusterNetworkPolicy/p`, then `NetworkPolicy deny by rule ingress/default-drop of x/deny`.
 */
export interface ChainStep {
  readonly hop: number;
  readonly stage: AclStage;
  readonly action: 'pass' | Verdict;
  /** Admin, Baseline, NetworkPolicy, own node; null for a row nbgen does not own, or (with a null
   * policy) for OVN's default when no row matched after a Pass. */
  readonly tier: string | null;
  /** `Kind/name` of a cluster-scoped policy, `namespace/name` of a NetworkPolicy, the Node's name. */
  readonly policy: string | null;
  readonly rule: string | null;
}

export type TierOf = (kind: string, name: string) => 'Admin' | 'Baseline' | null;

export function decisionChain(path: TracedPath, tierOf: TierOf): ChainStep[] {
  const steps: ChainStep[] = [];
  for (const stage of path.stages) {
    for (const t of stage.trail) {
      if (t.result !== 'passed' && !(t.result === 'matched' && t.row === stage.decidedBy)) continue;
      const origin = originOf(t.row);
      const tier =
        origin === null
          ? null
          : origin.kind === 'NetworkPolicy'
            ? 'NetworkPolicy'
            : origin.kind === 'Node'
              ? 'own node'
              : tierOf(origin.kind, origin.name);
      const policy = origin === null ? null : origin.namespace ? `${origin.namespace}/${origin.name}` : origin.kind === 'Node' ? origin.name : `${origin.kind}/${origin.name}`;
      steps.push({ hop: stage.hop, stage: stage.stage, action: t.result === 'passed' ? 'pass' : stage.verdict, tier, policy, rule: origin?.rule ?? null });
    }
    // Passed on and nothing below matched: OVN's default decides.
    if (stage.decidedBy === null && stage.trail.some((t) => t.result === 'passed')) {
      steps.push({ hop: stage.hop, stage: stage.stage, action: stage.verdict, tier: null, policy: null, rule: null });
    }
  }
  return steps;
}

/** `Admin Pass by rule ingress/0/ip4 of ClusterNetworkPolicy/p -> NetworkPolicy deny by rule ... of x/deny`. */
export function formatChain(steps: readonly ChainStep[]): string {
  return steps
    .map((s) => {
      if (s.tier === null && s.policy === null) return `no ACL matched: OVN default ${s.action} (${s.stage})`;
      const action = s.action === 'pass' ? 'Pass' : s.action;
      const by = s.policy === null ? '' : ` by rule ${s.rule} of ${s.policy}`;
      return `${s.tier ?? 'row'} ${action}${by} (${s.stage})`;
    })
    .join(' -> ');
}
