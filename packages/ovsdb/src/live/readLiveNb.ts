import type { OvsdbClient } from '../client/client.js';
import type { CacheDump } from '../cache/monitorCache.js';
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
  const dump: CacheDump = await client.dump(tables);
  return liveNbFromTables(dump, client.capabilities);
}
