/**
 * Every error the OVSDB layer throws is an OvsdbError with a stable `code` (listed in docs/errors.md).
 * Transaction errors carry the index of the failing operation (or `ops.length` for the extra
 * commit-failure result ovsdb-server appends when every operation succeeded but the commit did not).
 */
export type OvsdbErrorCode =
  /** The connection dropped; a request in flight may or may not have been executed. */
  | 'OVSDB_CONNECTION_LOST'
  /** Could not connect to any remote (within the attempt limit). */
  | 'OVSDB_CONNECT_FAILED'
  /** A request's deadline passed. For a transact, it may still commit later. */
  | 'OVSDB_TIMEOUT'
  /** The connected clustered member is not the leader (leader-only mode). */
  | 'OVSDB_NOT_LEADER'
  /** A JSON-RPC level error reply (`unknown method`, `canceled`, `unknown database`...). */
  | 'OVSDB_RPC_ERROR'
  /** A message larger than the configured maximum. */
  | 'OVSDB_MESSAGE_TOO_LARGE'
  /** The peer violated the protocol (bad JSON, unexpected reply). */
  | 'OVSDB_PROTOCOL'
  /** `constraint violation` (enum, range, index uniqueness, maxRows...). */
  | 'OVSDB_CONSTRAINT_VIOLATION'
  /** `referential integrity violation`. */
  | 'OVSDB_REFERENTIAL_INTEGRITY'
  /** A `wait` failed (`timed out`): what was read changed; re-read and retry. */
  | 'OVSDB_WAIT_FAILED'
  /** Any other per-operation error (`syntax error`, `unknown column`, `not owner`...). */
  | 'OVSDB_OPERATION_FAILED'
  /** Unknown table or column, or a value that does not fit the schema (caught before sending). */
  | 'OVSDB_SCHEMA'
  /** The client was closed. */
  | 'OVSDB_CLOSED';

export class OvsdbError extends Error {
  constructor(
    readonly code: OvsdbErrorCode,
    message: string,
    readonly details: {
      /** The server's error string (`constraint violation`, ...) when there is one. */
      readonly serverError?: string;
      readonly serverDetails?: string;
      /** Index of the failing operation within a transaction. */
      readonly operationIndex?: number;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message);
    this.name = 'OvsdbError';
  }
}
