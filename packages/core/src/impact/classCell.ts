import type { Verdict } from '../explain/evaluateStage.js';

/** `self`: a class of one pod to itself (loopback, never in OVN); `none`: no common family. */
export interface ClassCell {
  readonly verdict: Verdict | 'none' | 'self';
  readonly family: 4 | 6 | null;
  /** `deny: NetworkPolicy x/a rule ingress/default-drop`; empty for self and none. */
  readonly rule: string;
}
