/**
 * Why a reconcile cannot be planned or committed. Stable codes (docs/errors.md):
 * - NBGEN_RECONCILE_CONFLICT: a row we would create has a unique name taken by another owner or tool;
 * - NBGEN_RECONCILE_MISSING: a row our rows need is not in the database (a NAT's router, a gateway port);
 * - NBGEN_RECONCILE_INPUT: the desired rows contradict themselves or the owner (two groups of one name);
 * - NBGEN_RECONCILE_GAVE_UP: every attempt met a concurrent writer or a lost connection;
 * - NBGEN_RECONCILE_BUSY: a plan was asked for while a one-shot commit had dropped the monitor;
 * - NBGEN_RECONCILE_PLAN: a plan handed to buildTransaction refers to an insert it has not made.
 */
export type ReconcileErrorCode =
  | 'NBGEN_RECONCILE_CONFLICT'
  | 'NBGEN_RECONCILE_MISSING'
  | 'NBGEN_RECONCILE_INPUT'
  | 'NBGEN_RECONCILE_GAVE_UP'
  | 'NBGEN_RECONCILE_BUSY'
  | 'NBGEN_RECONCILE_PLAN';

export class ReconcileError extends Error {
  constructor(
    readonly code: ReconcileErrorCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ReconcileError';
  }
}
