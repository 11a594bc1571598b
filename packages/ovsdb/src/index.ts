// @ovn-nbgen/ovsdb: the OVSDB client a controller or a test author imports: connect, monitor,
// transact, reconcile nbgen's rows, read what a live NB holds, and the errors these throw. Every
// option has a default (the remote: `$OVN_NB_DB`, else ovn-nbctl's socket) but the reconciler's owner.
//
// The parts below them are subpath exports:
//   @ovn-nbgen/ovsdb/session    the reconnecting, leader-following session under the client: remotes, TLS, backoff, the cluster check
//   @ovn-nbgen/ovsdb/notation   OVSDB values, the schema that types them, their JSON in rows, conditions, mutations and results
//   @ovn-nbgen/ovsdb/cache      the monitor cache's parts: replica, table store, indexes, update diffs, monitor requests
//   @ovn-nbgen/ovsdb/reconcile  the reconciler's parts: NbState, planReconcile, PlanMemo, buildTransaction, the plan's types
//   @ovn-nbgen/ovsdb/live       the live NB reader (select only, any CNI's rows) and row attribution, for explain/matrix --db
//   @ovn-nbgen/ovsdb/errors     the error classes alone, for code that classifies errors without loading the client
//   @ovn-nbgen/ovsdb/wire       the framing and JSON-RPC codec
//   @ovn-nbgen/ovsdb/memory     the in-memory NB (an OVSDB server in the test process), a test tool

// Connect: one remote list (OVS syntax, default `$OVN_NB_DB`), a reconnecting leader-following session.
export { OvsdbClient, type ConnectOptions, type LockEvent, type TransactOptions } from './client/client.js';
export { parseRemotes, defaultNbRemotes, DEFAULT_NB_REMOTE, type Remote, type ParsedRemotes } from './remotes/parseRemotes.js';
export type { SessionOptions } from './session/session.js';
export type { TlsFiles } from './tls/tlsOptions.js';
export type { RequestOptions } from './rpc/channel.js';
export { capabilitiesFromSchema } from './schema/capabilities.js';
export type { DatabaseSchema, TableSchema, ColumnSchema } from './schema/schema.js';
export type { BaseType, ColumnType } from './schema/types.js';

// Values and transactions.
export { uuid, namedUuid, type Uuid, type NamedUuid } from './notation/uuid.js';
export type { Atom, AtomInput, Row, RowInput, Value, ValueInput } from './notation/value.js';
export {
  Transaction,
  type CountResult,
  type EmptyResult,
  type InsertChildOptions,
  type InsertHandle,
  type InsertResult,
  type OpHandle,
  type ParentRef,
  type SelectResult,
  type TransactionOptions,
  type WaitOptions,
} from './txn/builder.js';
export type { Condition, ConditionFunction, Mutation, Mutator, Where } from './txn/operations.js';
export { TransactResult } from './txn/results.js';

// The monitor cache `client.monitor()` gives.
export { MonitorCache } from './cache/monitorCache.js';
export type { ChangeEvent, ChangeListener } from './cache/monitorCache.js';
export type { CachedRow } from './cache/cachedRow.js';
export type { IndexSpec } from './cache/rowIndex.js';
export type { MonitorRequest, MonitorTableRequest } from './cache/request.js';

// Reconcile nbgen's rows: plan (pure) against a monitor cache, then one guarded transaction.
export { Reconciler, type ReconcilePhase, type ReconcileResult, type ReconcileRunOptions, type ReconcilerOptions } from './reconcile/reconciler.js';
export { planCounts, deletionCounts, isEmptyPlan, type ReconcilePlan, type TableCounts } from './reconcile/reconcilePlan.js';
export { formatPlan, formatCounts } from './reconcile/format.js';

// Read what a live NB holds (any CNI's rows, select only), as core's explain takes it.
export { readLiveNb } from './live/readLiveNb.js';
export type { LiveNb } from './live/liveRows.js';

// Errors: OvsdbError and ReconcileError carry a stable `code` (docs/errors.md).
export { OvsdbError, type OvsdbErrorCode } from './errors.js';
export { ReconcileError, type ReconcileErrorCode } from './reconcile/errors.js';
export { RemoteSyntaxError } from './remotes/parseRemotes.js';
