// @ovn-nbgen/ovsdb/session: the reconnecting, leader-following session OvsdbClient talks through,
// for a caller that needs the channel itself: remotes, TLS files, backoff, the `_Server` check.
export * from '../rpc/channel.js';
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
} from '../remotes/parseRemotes.js';
export { type TlsFiles } from '../tls/tlsOptions.js';
export { exponentialBackoff, ReconnectSchedule, type BackoffFunction, type ExponentialBackoffOptions } from '../session/backoff.js';
export { type SessionEventMap, type SessionStateName } from '../session/channelEvents.js';
export { checkServerDatabase, type ServerDatabaseRow } from '../cluster/serverDatabase.js';
export {
  OvsdbSession,
  connectChannel,
  DEFAULT_DATABASE,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_PROBE_INTERVAL_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  type SessionOptions,
} from '../session/session.js';
