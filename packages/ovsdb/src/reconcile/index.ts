// Reconcile: desired rows + what the NB holds → the smallest transaction that makes them equal.
export { ReconcileError, type ReconcileErrorCode } from './errors.js';
export { NbState, objectKey, stateMonitorIndexes, stateMonitorTables, type StateRow } from './state.js';
export { planReconcile, type PlanOptions } from './reconcilePlanner.js';
export { PlanMemo } from './reconcileMemo.js';
export {
  planCounts,
  deletionCounts,
  isEmptyPlan,
  type ReconcilePlan,
  type PlannedInsert,
  type PlannedUpdate,
  type PlannedDelete,
  type ColumnChange,
  type MembershipChange,
  type Guard,
  type RowRef,
  type TableCounts,
} from './reconcilePlan.js';
export { buildTransaction, leaveOutEmpty } from './transaction.js';
export { formatPlan, formatCounts } from './format.js';
export {
  Reconciler,
  type ReconcilerOptions,
  type ReconcileRunOptions,
  type ReconcileResult,
  type ReconcilePhase,
} from './reconciler.js';
