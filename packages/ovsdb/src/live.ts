// @ovn-nbgen/ovsdb/live: everything a program that talks to a live NB needs (client, cache,
// reconcile), without the in-memory server and the wire codec, so `nbgen diff`/`apply` do not load them.
export * from './errors.js';
export * from './rpc/channel.js';
// Session layer: remotes, TLS, reconnecting/leader-following channel. The wire framing and
// JSON-RPC codec are `@ovn-nbgen/ovsdb/wire`.
export {
  parseRemotes,
  parseRemote,
  splitRemoteList,
  defaultNbRemotes,
  DEFAULT_NB_REMOTE,
  OVSDB_DEFAULT_PORT,
  RemoteSyntaxError,
  type Remote,
  type ParsedRemotes,
} from './remotes/parseRemotes.js';
export { type TlsFiles } from './tls/tlsOptions.js';
export { exponentialBackoff, ReconnectSchedule, type BackoffFunction, type ExponentialBackoffOptions } from './session/backoff.js';
export { type SessionEventMap, type SessionStateName } from './session/channelEvents.js';
export { checkServerDatabase, type ServerDatabaseRow } from './cluster/serverDatabase.js';
export {
  OvsdbSession,
  connectChannel,
  DEFAULT_DATABASE,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_PROBE_INTERVAL_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  type SessionOptions,
} from './session/session.js';
// Data layer: schema, value notation, transactions, monitor cache, client.
export * from './schema/index.js';
export * from './notation/index.js';
export * from './txn/index.js';
export * from './cache/index.js';
export * from './client/index.js';
// Reconcile: plan (pure) against a monitor cache, then one guarded transaction.
export * from './reconcile/index.js';
// The in-memory NB (an in-process OVSDB server speaking ovsdb-server's protocol) is
// `@ovn-nbgen/ovsdb/memory`.
// Live NB reader: the rows any OVN CNI wrote, read with select only, for explain --db.
export * from './live/index.js';
