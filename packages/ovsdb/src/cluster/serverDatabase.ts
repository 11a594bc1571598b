import type { OvsdbErrorCode } from '../errors.js';

/**
 * Which cluster member we may use, decided from the `_Server` database every ovsdb-server hosts
 * (`ovsdb/_server.ovsschema`, table `Database`, one row per hosted database).
 *
 * We monitor the row rather than read it once, so a later loss of leadership is noticed and the
 * session moves to another member — the rule of the C and Python IDLs
 * (`ovsdb_cs_check_server_db__`, `idl.py __check_server_db`):
 * - standalone (and active-backup, which reports standalone): accept;
 * - clustered: the member must have joined (schema non-empty), reach a majority (connected), be
 *   the leader when leader-only, and expose a log index no older than the newest one we saw on any
 *   member (never go back in time when switching members);
 * - relay: schema and connected, and never in leader-only mode.
 */

export const SERVER_DATABASE_COLUMNS = ['name', 'model', 'connected', 'leader', 'schema', 'cid', 'index'] as const;

/** Our `_Server` monitor's id; distinct from any id the data layer would choose. */
export const SERVER_MONITOR_ID: readonly unknown[] = ['ovsdb-session', '_Server'];

export function isServerMonitorId(value: unknown): boolean {
  return Array.isArray(value) && value.length === 2 && value[0] === SERVER_MONITOR_ID[0] && value[1] === SERVER_MONITOR_ID[1];
}

/** `monitor_cond` params for the `Database` table of `_Server`. */
export function serverMonitorParams(): unknown[] {
  return ['_Server', SERVER_MONITOR_ID, { Database: [{ columns: [...SERVER_DATABASE_COLUMNS] }] }];
}

export interface ServerDatabaseRow {
  readonly name: string;
  /** `standalone`, `clustered` or `relay`. */
  readonly model: string;
  readonly connected: boolean;
  readonly leader: boolean;
  /** The database schema as JSON text; empty until a clustered member has joined. */
  readonly schema: string;
  readonly cid: string | undefined;
  readonly index: number | undefined;
}

/** Rows of `_Server.Database` by `_uuid`, as raw column values (update2 sends whole new values). */
export type ServerDatabaseTable = Map<string, Record<string, unknown>>;

/**
 * Applies a `table-updates2` value for `Database`. Every monitored column holds at most one value,
 * and for such columns an update2 `modify` carries the whole new value (ovsdb-data.c diff rules).
 */
export function applyServerUpdate(table: ServerDatabaseTable, tableUpdates: unknown): void {
  const rowUpdates = (tableUpdates as Record<string, unknown> | null)?.['Database'];
  if (typeof rowUpdates !== 'object' || rowUpdates === null) {
    return;
  }
  for (const [uuid, update] of Object.entries(rowUpdates as Record<string, Record<string, unknown> | null>)) {
    if (update === null || typeof update !== 'object') {
      continue;
    }
    if ('delete' in update) {
      table.delete(uuid);
      continue;
    }
    const columns = (update['initial'] ?? update['insert'] ?? update['modify']) as Record<string, unknown> | undefined;
    if (columns === undefined) {
      continue;
    }
    const existing = 'modify' in update ? (table.get(uuid) ?? {}) : {};
    table.set(uuid, { ...existing, ...columns });
  }
}

/** An optional (0..1) value is `["set",[]]` when empty and the bare atom otherwise. */
function optionalAtom(value: unknown): unknown {
  if (Array.isArray(value) && value[0] === 'set') {
    const elements = value[1] as unknown[] | undefined;
    return elements?.[0];
  }
  return value;
}

function uuidAtom(value: unknown): string | undefined {
  const atom = optionalAtom(value);
  return Array.isArray(atom) && atom[0] === 'uuid' && typeof atom[1] === 'string' ? atom[1] : undefined;
}

/** update2 omits columns that hold their default value: "", false, empty set. */
export function readServerRow(raw: Record<string, unknown>): ServerDatabaseRow {
  const index = optionalAtom(raw['index']);
  return {
    name: typeof raw['name'] === 'string' ? raw['name'] : '',
    model: typeof raw['model'] === 'string' ? raw['model'] : '',
    connected: raw['connected'] === true,
    leader: raw['leader'] === true,
    schema: typeof raw['schema'] === 'string' ? raw['schema'] : '',
    cid: uuidAtom(raw['cid']),
    index: typeof index === 'number' ? index : undefined,
  };
}

export interface ServerCheckInput {
  readonly database: string;
  readonly clusterId?: string;
  readonly leaderOnly: boolean;
  /** The highest log index seen on any member so far. */
  readonly minIndex: number;
}

export type ServerVerdict =
  | { readonly accepted: true; readonly row: ServerDatabaseRow }
  | {
      readonly accepted: false;
      readonly code: Extract<OvsdbErrorCode, 'OVSDB_NOT_LEADER' | 'OVSDB_CONNECT_FAILED'>;
      readonly reason: string;
    };

export function checkServerDatabase(table: ServerDatabaseTable, input: ServerCheckInput): ServerVerdict {
  const rows = [...table.values()].map(readServerRow);
  const row = rows.find((candidate) => candidate.name === input.database);
  const reject = (reason: string, code: 'OVSDB_NOT_LEADER' | 'OVSDB_CONNECT_FAILED' = 'OVSDB_CONNECT_FAILED'): ServerVerdict => ({
    accepted: false,
    code,
    reason,
  });
  if (row === undefined) {
    return reject(`server does not host database ${input.database}`);
  }
  if (input.clusterId !== undefined && row.cid !== input.clusterId) {
    return reject(`database ${input.database} belongs to cluster ${row.cid ?? '(none)'}, not ${input.clusterId}`);
  }
  switch (row.model) {
    case 'clustered':
      if (row.schema === '') {
        return reject(`clustered database ${input.database} has not joined its cluster yet`);
      }
      if (!row.connected) {
        return reject(`cluster member is not connected to a majority`);
      }
      if (input.leaderOnly && !row.leader) {
        return reject(`cluster member is not the leader`, 'OVSDB_NOT_LEADER');
      }
      if (row.index !== undefined && row.index < input.minIndex) {
        return reject(`cluster member is behind: log index ${row.index} < ${input.minIndex} already seen`);
      }
      return { accepted: true, row };
    case 'relay':
      if (row.schema === '' || !row.connected) {
        return reject(`relay is not connected to its source`);
      }
      if (input.leaderOnly) {
        return reject(`a relay is not the leader (leader-only mode)`, 'OVSDB_NOT_LEADER');
      }
      return { accepted: true, row };
    default:
      return { accepted: true, row };
  }
}
