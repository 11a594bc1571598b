import type { OvsdbClient } from '../client/client.js';
import { OvsdbError } from '../errors.js';
import type { Row, Value } from '../notation/value.js';
import { liveNbFromTables, type LiveNb } from './liveRows.js';

/**
 * The columns explain judges by, per table. Columns a schema lacks (ACL `tier` before OVN 23.06,
 * Load_Balancer_Group before 21.12) are left out of the select rather than failing it.
 */
const WANTED: Readonly<Record<string, readonly string[]>> = {
  ACL: ['direction', 'priority', 'match', 'action', 'name', 'log', 'severity', 'meter', 'tier', 'options', 'external_ids'],
  Port_Group: ['name', 'ports', 'acls', 'external_ids'],
  Address_Set: ['name', 'addresses', 'external_ids'],
  Logical_Switch: ['name', 'ports', 'acls', 'load_balancer', 'load_balancer_group', 'external_ids'],
  Logical_Switch_Port: ['name', 'type', 'addresses', 'dynamic_addresses', 'options', 'external_ids'],
  Load_Balancer: ['name', 'protocol', 'vips', 'options', 'external_ids'],
  Load_Balancer_Group: ['name', 'load_balancer'],
};

/**
 * Reads what OVN's switch ACL pipeline depends on, in one transaction made only of `select`
 * operations: nothing is locked, monitored or written, so pointing it at a production NB (or at
 * a copy served read-only) cannot change it.
 *
 *   const client = await OvsdbClient.connect({ remote: 'unix:/run/ovn/ovnnb_db.sock' });
 *   const live = await readLiveNb(client);   // live.rows: what explain's engine evaluates
 */
export async function readLiveNb(client: OvsdbClient): Promise<LiveNb> {
  const schema = client.schema;
  const tables: Record<string, readonly string[]> = {};
  for (const [table, columns] of Object.entries(WANTED)) {
    if (!schema.hasTable(table)) continue;
    tables[table] = columns.filter((column) => schema.hasColumn(table, column));
  }
  // Raw operations: rows come back as wire JSON and are read by liveNbFromTables' few accessors,
  // without the schema codec and canonical sort `client.dump` applies (seconds at 100k rows).
  const entries = Object.entries(tables);
  const ops = entries.map(([table, columns]) => ({ op: 'select', table, where: [], columns: ['_uuid', ...columns] }));
  const results = (await client.transact(ops)) as { rows?: Record<string, unknown>[]; error?: string; details?: string }[];
  const dump: Record<string, Row[]> = {};
  entries.forEach(([table], i) => {
    const result = results[i];
    if (!result || result.error !== undefined || !result.rows) {
      throw new OvsdbError('OVSDB_RPC_ERROR', `select ${table}: ${result?.error ?? 'no result'}${result?.details ? `: ${result.details}` : ''}`);
    }
    dump[table] = result.rows.map(wireRow);
  });
  return liveNbFromTables(dump, client.capabilities);
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
