import type { OvsdbClient } from '../client/client.js';
import type { Row } from '../notation/value.js';
import { liveNbFromTables, type LiveNb } from './liveRows.js';
import { selectRows } from './selectRows.js';

/**
 * The columns explain judges by, per table. Columns a schema lacks (ACL `tier` before OVN 23.06,
 * Load_Balancer_Group before 21.12) are left out of the select rather than failing it. ACL `log`,
 * `severity` and `meter` are not read: they change no verdict and no attribution, and ovsdb-server
 * spends about 12% of an 85,000-ACL select writing them (the rows have log false, no severity/meter).
 */
export const LIVE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  ACL: ['direction', 'priority', 'match', 'action', 'name', 'tier', 'options', 'external_ids'],
  Port_Group: ['name', 'ports', 'acls', 'external_ids'],
  Address_Set: ['name', 'addresses', 'external_ids'],
  Logical_Switch: ['name', 'ports', 'acls', 'load_balancer', 'load_balancer_group', 'external_ids'],
  Logical_Switch_Port: ['name', 'type', 'addresses', 'dynamic_addresses', 'options', 'external_ids'],
  Load_Balancer: ['name', 'protocol', 'vips', 'options', 'external_ids'],
  Load_Balancer_Group: ['name', 'load_balancer'],
};

/** `_uuid` and the LIVE_COLUMNS of `table` the served schema has; null when it lacks the table. */
export function liveColumns(client: OvsdbClient, table: string): string[] | null {
  const schema = client.schema;
  if (!schema.hasTable(table)) return null;
  return ['_uuid', ...(LIVE_COLUMNS[table] ?? []).filter((column) => schema.hasColumn(table, column))];
}

/**
 * Reads what OVN's switch ACL pipeline depends on, in one transaction made only of `select`
 * operations: nothing is locked, monitored or written, so pointing it at a production NB (or at
 * a copy served read-only) cannot change it. Every row of every table: what `matrix`, `test` and
 * `audit` judge; `explain` reads less (readLiveNbForPorts).
 *
 *   const client = await OvsdbClient.connect({ remote: 'unix:/run/ovn/ovnnb_db.sock' });
 *   const live = await readLiveNb(client);   // live.rows: what explain's engine evaluates
 */
export async function readLiveNb(client: OvsdbClient): Promise<LiveNb> {
  const tables = Object.keys(LIVE_COLUMNS).flatMap((table) => {
    const columns = liveColumns(client, table);
    return columns ? [{ table, where: [], columns }] : [];
  });
  const rows = await selectRows(client, tables);
  const dump: Record<string, Row[]> = {};
  tables.forEach(({ table }, i) => (dump[table] = rows[i]!));
  return liveNbFromTables(dump, client.capabilities);
}
