// @ovn-nbgen/ovsdb/reconcile: the reconciler's parts (NbState over a monitor cache, the pure
// planReconcile and its PlanMemo, buildTransaction, the plan's types), for a caller that plans
// without the Reconciler. The root has the Reconciler and what reading a plan takes.
export * from '../reconcile/index.js';
