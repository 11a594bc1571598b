import type { OvsdbClient } from '../client/client.js';
import type { Row } from '../notation/value.js';
import { liveNbFromTables, type LiveNb } from './liveRows.js';
import { matchBinding, matchReferences } from './matchBinding.js';
import { liveColumns } from './readLiveNb.js';
import { selectRows, type SelectOp } from './selectRows.js';

/**
 * The first read of a focused one: the switches, their ports and load balancers in full, and of
 * each ACL only its `_uuid` and `match`. `live` has no ACLs, port groups or address sets yet: it
 * finds pods and Services, and so the ports a flow crosses.
 */
export interface LiveLayout {
  readonly live: LiveNb;
  readonly tables: Readonly<Record<string, readonly Row[]>>;
  readonly aclMatches: readonly { readonly uuid: string; readonly match: string }[];
}

const LAYOUT_TABLES = ['Logical_Switch', 'Logical_Switch_Port', 'Load_Balancer', 'Load_Balancer_Group'] as const;

/**
 * Why two reads: ovsdb-server 23.03 spends about 10 µs of CPU per row and per UUID it writes into
 * a reply, however it is asked (select, monitor, monitor_cond alike; docs/live-nb.md). All of a
 * 100,000-row NB costs seconds; `_uuid` and `match` of the ACLs, then only the rows that can apply
 * to a flow's ports, cost a fraction.
 */
export async function readLiveLayout(client: OvsdbClient): Promise<LiveLayout> {
  const selects: SelectOp[] = LAYOUT_TABLES.flatMap((table) => {
    const columns = liveColumns(client, table);
    return columns ? [{ table, where: [], columns }] : [];
  });
  selects.push({ table: 'ACL', where: [], columns: ['_uuid', 'match'] });
  const rows = await selectRows(client, selects);
  const tables: Record<string, Row[]> = {};
  selects.slice(0, -1).forEach(({ table }, i) => (tables[table] = rows[i]!));
  const aclMatches = rows[rows.length - 1]!.map((r) => ({ uuid: String(r._uuid), match: String(r.match) }));
  return { live: liveNbFromTables(tables, client.capabilities), tables, aclMatches };
}

/**
 * The live NB as explain's engine sees it for flows through `ports` (logical switch port names):
 * every ACL that can match such a flow, with the port groups and address sets it names. An ACL
 * bound to other ports (matchBinding: its match starts `inport == @pg &&` for a group holding none
 * of `ports`) cannot match and is not read; every other ACL of a switch or a port group is, so
 * the verdict and the deciding rows are those of readLiveNb's rows. Reads with `select` only.
 *
 *   const layout = await readLiveLayout(client);
 *   const live = await readLiveNbForPorts(client, layout, ['client.shop', 'web-0.shop']);
 */
export async function readLiveNbForPorts(client: OvsdbClient, layout: LiveLayout, ports: Iterable<string>): Promise<LiveNb> {
  const wanted = new Set(ports);
  const portUuids = (layout.tables.Logical_Switch_Port ?? []).filter((p) => wanted.has(String(p.name))).map((p) => String(p._uuid));
  const groupColumns = liveColumns(client, 'Port_Group');
  // One select per port: the groups holding it (a group holding two of them comes back twice).
  const heldLists = groupColumns
    ? await selectRows(client, portUuids.map((u) => ({ table: 'Port_Group', where: [['ports', 'includes', ['uuid', u]]], columns: groupColumns })))
    : [];
  const heldGroups = [...new Map(heldLists.flat().map((g) => [String(g._uuid), g])).values()];
  const heldNames = new Set(heldGroups.map((g) => String(g.name)));
  const relevant = layout.aclMatches.filter(({ match }) => {
    const binding = matchBinding(match);
    if (binding === null) return true;
    return binding.kind === 'portGroup' ? heldNames.has(binding.name) : wanted.has(binding.name);
  });

  // The owner of each relevant ACL: a held group, a switch, or (rarely) a group found by its acls.
  const owned = new Set<string>();
  for (const owner of [...heldGroups, ...(layout.tables.Logical_Switch ?? [])]) for (const uuid of setOf(owner.acls)) owned.add(String(uuid));
  const referencedGroups = new Set<string>();
  const referencedSets = new Set<string>();
  for (const { match } of relevant) {
    const refs = matchReferences(match);
    for (const g of refs.portGroups) if (!heldNames.has(g)) referencedGroups.add(g);
    for (const s of refs.addressSets) referencedSets.add(s);
  }
  const aclColumns = liveColumns(client, 'ACL')!;
  const setColumns = liveColumns(client, 'Address_Set');
  const selects: SelectOp[] = relevant.map(({ uuid }) => ({ table: 'ACL', where: [['_uuid', '==', ['uuid', uuid]]], columns: aclColumns }));
  if (groupColumns) {
    for (const { uuid } of relevant) {
      if (!owned.has(uuid)) selects.push({ table: 'Port_Group', where: [['acls', 'includes', ['uuid', uuid]]], columns: groupColumns });
    }
    for (const name of [...referencedGroups].sort()) selects.push({ table: 'Port_Group', where: [['name', '==', name]], columns: groupColumns });
  }
  if (setColumns) for (const name of [...referencedSets].sort()) selects.push({ table: 'Address_Set', where: [['name', '==', name]], columns: setColumns });
  const results = await selectRows(client, selects);

  const byTable: Record<string, Map<string, Row>> = { ACL: new Map(), Port_Group: new Map(), Address_Set: new Map() };
  for (const g of heldGroups) byTable.Port_Group!.set(String(g._uuid), g);
  selects.forEach(({ table }, i) => {
    for (const row of results[i]!) byTable[table]!.set(String(row._uuid), row);
  });
  const tables: Record<string, readonly Row[]> = { ...layout.tables };
  for (const [table, rows] of Object.entries(byTable)) tables[table] = [...rows.values()];
  return liveNbFromTables(tables, client.capabilities);
}

function setOf(value: Row[string] | undefined): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
