import type { OvsdbClient } from '../client/client.js';
import { OvsdbError } from '../errors.js';
import type { Row, Value } from '../notation/value.js';

/** One `select` operation of a transaction (RFC 7047 §5.2.2). */
export interface SelectOp {
  readonly table: string;
  readonly where: readonly unknown[];
  readonly columns: readonly string[];
}

/**
 * Sends `selects` as one transaction made only of `select` operations and returns each one's rows,
 * decoded from the wire JSON directly (no schema codec, no canonical sort: seconds at 100k rows).
 * Nothing is locked or written.
 */
export async function selectRows(client: OvsdbClient, selects: readonly SelectOp[]): Promise<Row[][]> {
  if (selects.length === 0) return [];
  const ops = selects.map((s) => ({ op: 'select', table: s.table, where: s.where, columns: s.columns }));
  const results = (await client.transact(ops)) as { rows?: Record<string, unknown>[]; error?: string; details?: string }[];
  return selects.map((s, i) => {
    const result = results[i];
    if (!result || result.error !== undefined || !result.rows) {
      throw new OvsdbError('OVSDB_RPC_ERROR', `select ${s.table}: ${result?.error ?? 'no result'}${result?.details ? `: ${result.details}` : ''}`);
    }
    return result.rows.map(wireRow);
  });
}

/**
 * Wire JSON → the decoded shape liveNbFromTables reads (RFC 7047 §5.1): `["uuid",u]` → u,
 * `["set",[...]]` → an array (an empty set → null, as an empty optional column decodes),
 * `["map",[[k,v]...]]` → an object; atoms as they are.
 */
function wireRow(json: Record<string, unknown>): Row {
  const row: Record<string, Value> = {};
  for (const [column, value] of Object.entries(json)) row[column] = wireValue(value);
  return row;
}

function wireValue(value: unknown): Value {
  if (!Array.isArray(value)) return value as Value;
  const [tag, body] = value as [string, unknown];
  if (tag === 'uuid' || tag === 'named-uuid') return body as string;
  if (tag === 'set') {
    const items = (body as unknown[]).map((item) => wireValue(item) as string | number | boolean);
    return items.length === 0 ? null : items;
  }
  if (tag === 'map') {
    const out: Record<string, string | number | boolean> = {};
    for (const [k, v] of body as [unknown, unknown][]) out[String(wireValue(k))] = wireValue(v) as string | number | boolean;
    return out;
  }
  return value as unknown as Value;
}
