import type { OvsdbClient } from '@ovn-nbgen/ovsdb';

/**
 * What the conformance suite needs from an OVN Northbound server: clients of one shared
 * database, a way to empty it between tests, and shutdown. Implemented by the in-memory NB
 * (memory.test.ts) and by a real ovsdb-server (ovsdbServer.ovn.test.ts).
 */
export interface ConformanceBackend {
  readonly name: string;
  /** A new client (its own connection) of the backend's NB database. */
  connect(): Promise<OvsdbClient>;
  close(): Promise<void>;
}

/** Root tables of the NB subset the suite writes; deleting them garbage-collects the rest. */
export const ROOT_TABLES = ['Port_Group', 'Address_Set', 'Logical_Switch', 'Logical_Router', 'Load_Balancer'] as const;

export async function emptyDatabase(client: OvsdbClient): Promise<void> {
  await client.transact(ROOT_TABLES.map((table) => ({ op: 'delete', table, where: [] })));
}
