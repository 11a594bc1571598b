import { OvsdbError } from '../errors.js';
import type { DatabaseSchema } from '../schema/schema.js';
import { decodeRow } from '../notation/codec.js';
import type { NamedUuid, Uuid } from '../notation/uuid.js';
import type { Row } from '../notation/value.js';
import type { InsertHandle, OpHandle, OperationInfo } from './builder.js';
import { operationError } from './errors.js';

/**
 * The outcome of a committed transaction: one decoded result per operation, addressed with the
 * handle the builder returned, and the real UUIDs the server gave each `uuid-name`.
 */
export class TransactResult {
  constructor(
    /** Decoded per-operation results, in operation order. */
    readonly results: readonly unknown[],
    /** uuid-name → the UUID of the inserted row. */
    readonly uuids: ReadonlyMap<string, Uuid>,
  ) {}

  get<R>(handle: OpHandle<R>): R {
    return this.results[handle.index] as R;
  }

  /** The real UUID of a row this transaction inserted. */
  uuidOf(ref: NamedUuid | InsertHandle | string): Uuid {
    const name = typeof ref === 'string' ? ref : 'ref' in ref ? ref.ref.namedUuid : ref.namedUuid;
    const found = this.uuids.get(name);
    if (!found) throw new OvsdbError('OVSDB_SCHEMA', `no insert named ${name} in this transaction`);
    return found;
  }
}

function isErrorSlot(slot: unknown): slot is { error: unknown; details?: unknown } {
  return typeof slot === 'object' && slot !== null && 'error' in slot && (slot as { error: unknown }).error != null;
}

/**
 * Reads a `transact` result array (RFC 7047 §4.1.3 + ovsdb-server): one slot per operation; the
 * first failing operation's slot holds `{error, details}` and every later slot is null, nothing
 * committed. If every operation succeeded but the commit failed (index uniqueness, referential
 * integrity, maxRows), there is one extra slot with that error: reported with
 * `operationIndex === operations.length`.
 */
export function parseTransactResult(
  schema: DatabaseSchema,
  operations: readonly OperationInfo[],
  raw: unknown,
): TransactResult {
  if (!Array.isArray(raw)) throw new OvsdbError('OVSDB_PROTOCOL', `transact result must be an array, found ${JSON.stringify(raw)}`);
  for (let i = 0; i < raw.length; i++) {
    const slot: unknown = raw[i];
    if (isErrorSlot(slot)) {
      const label = i < operations.length ? `operation ${i} (${(operations[i] as OperationInfo).label})` : 'commit';
      throw operationError(slot, i, label);
    }
  }
  if (raw.length !== operations.length) {
    throw new OvsdbError('OVSDB_PROTOCOL', `transact returned ${raw.length} results for ${operations.length} operations`);
  }
  const results: unknown[] = [];
  const uuids = new Map<string, Uuid>();
  operations.forEach((info, i) => {
    const slot: unknown = raw[i];
    if (typeof slot !== 'object' || slot === null) {
      throw new OvsdbError('OVSDB_PROTOCOL', `operation ${i} (${info.label}): missing result`);
    }
    results.push(decodeSlot(schema, info, slot as Record<string, unknown>, uuids));
  });
  return new TransactResult(results, uuids);
}

function decodeSlot(
  schema: DatabaseSchema,
  info: OperationInfo,
  slot: Record<string, unknown>,
  uuids: Map<string, Uuid>,
): unknown {
  switch (info.kind) {
    case 'insert': {
      const uuid = slot.uuid;
      if (!Array.isArray(uuid) || uuid[0] !== 'uuid' || typeof uuid[1] !== 'string') {
        throw new OvsdbError('OVSDB_PROTOCOL', `${info.label}: result has no uuid`);
      }
      if (info.uuidName) uuids.set(info.uuidName, uuid[1] as Uuid);
      return Object.freeze({ uuid: uuid[1] as Uuid });
    }
    case 'select': {
      if (!Array.isArray(slot.rows)) throw new OvsdbError('OVSDB_PROTOCOL', `${info.label}: result has no rows`);
      const table = schema.table(info.table as string);
      const rows: Row[] = slot.rows.map((r) => Object.freeze(decodeRow(table, r)));
      return Object.freeze({ rows: Object.freeze(rows) });
    }
    case 'update':
    case 'mutate':
    case 'delete':
      if (typeof slot.count !== 'number') throw new OvsdbError('OVSDB_PROTOCOL', `${info.label}: result has no count`);
      return Object.freeze({ count: slot.count });
    default:
      return Object.freeze({});
  }
}
