// @ovn-nbgen/ovsdb: OVSDB wire client, schema-typed rows, monitor cache, in-memory NB, reconcile.
export * from './errors';
export * from './rpc/channel';
// Wire and session layer: framing, JSON-RPC 1.0, remotes, TLS, reconnecting/leader-following channel.
export { JsonFrameSplitter, MAX_DECODABLE_FRAME_BYTES, type FrameSplitterOptions } from './wire/frameSplitter';
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
} from './wire/jsonRpc';
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
} from './remotes/parseRemotes';
export { type TlsFiles } from './tls/tlsOptions';
export { exponentialBackoff, ReconnectSchedule, type BackoffFunction, type ExponentialBackoffOptions } from './session/backoff';
export { type SessionEventMap, type SessionStateName } from './session/channelEvents';
export { checkServerDatabase, type ServerDatabaseRow } from './cluster/serverDatabase';
export {
  OvsdbSession,
  connectChannel,
  DEFAULT_DATABASE,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_PROBE_INTERVAL_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  type SessionOptions,
} from './session/session';
// Data layer: schema, value notation, transactions, monitor cache, client.
export * from './schema/index';
export * from './notation/index';
export * from './txn/index';
export * from './cache/index';
export * from './client/index';
// Reconcile: plan (pure) against a monitor cache, then one guarded transaction.
export * from './reconcile/index';
// In-memory NB: an in-process OVSDB server (any schema) speaking ovsdb-server's protocol.
export * from './memory/index';
// Live NB reader: the rows any OVN CNI wrote, read with select only, for explain --db.
export * from './live/index.js';
