// @ovn-nbgen/ovsdb: OVSDB wire client, schema-typed rows, monitor cache, in-memory NB, reconcile.
export * from './errors.js';
export * from './rpc/channel.js';
// Wire and session layer: framing, JSON-RPC 1.0, remotes, TLS, reconnecting/leader-following channel.
export { JsonFrameSplitter, MAX_DECODABLE_FRAME_BYTES, type FrameSplitterOptions } from './wire/frameSplitter.js';
export {
  classifyMessage,
  parseMessage,
  encodeRequest,
  encodeNotification,
  encodeReply,
  encodeErrorReply,
  rpcErrorToOvsdbError,
  type InboundMessage,
  type JsonRpcId,
  type RpcErrorValue,
} from './wire/jsonRpc.js';
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
// In-memory NB: an in-process OVSDB server (any schema) speaking ovsdb-server's protocol.
export * from './memory/index.js';
// Live NB reader: the rows any OVN CNI wrote, read with select only, for explain --db.
export * from './live/index.js';
