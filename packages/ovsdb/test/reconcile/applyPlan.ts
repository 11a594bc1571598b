// Test helper: carries a plan out on plain rows, as ovsdb-server would commit its transaction
// (inserts, column replacement, set deltas, membership, deletes with garbage collection of
// children). Lets pure tests ask "what does the next plan say?" without a server; the real
// server's answer is checked in reconcile.ovn.test.ts.
import type { NbValue } from '@ovn-nbgen/core/script';
import type { Atom, ReconcilePlan, Uuid, Value } from '../../src/index.js';
import type { StateRow } from '../../src/subpaths/reconcile.js';

export type Tables = Record<string, StateRow[]>;

/** Every table the reconcile state reads, empty. */
export const emptyTables = (): Tables => ({ Logical_Switch_Port: [], Logical_Router: [], Logical_Router_Port: [], Port_Group: [], Address_Set: [], ACL: [], NAT: [], Load_Balancer: [] });

let counter = 0;
export function freshUuid(): Uuid {
  counter++;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}` as Uuid;
}

function find(tables: Tables, table: string, uuid: Uuid): StateRow {
  const row = tables[table]?.find((r) => r._uuid === uuid);
  if (!row) throw new Error(`${table} ${uuid} not found`);
  return row;
}

function replace(tables: Tables, table: string, row: StateRow): void {
  tables[table] = (tables[table] ?? []).map((r) => (r._uuid === row._uuid ? row : r));
}

function mutateSet(tables: Tables, table: string, uuid: Uuid, column: string, add: readonly Atom[], remove: readonly Atom[]): void {
  const row = find(tables, table, uuid);
  const members = new Set<Atom>((row[column] as readonly Atom[] | undefined) ?? []);
  for (const r of remove) members.delete(r);
  for (const a of add) members.add(a);
  replace(tables, table, { ...row, [column]: [...members] });
}

/** A copy of `input` with the plan committed. */
export function applyPlan(input: Tables, plan: ReconcilePlan): Tables {
  const tables: Tables = Object.fromEntries(Object.entries(input).map(([t, rows]) => [t, [...rows]]));
  const created: Uuid[] = [];
  plan.inserts.forEach((insert) => {
    const uuid = freshUuid();
    created.push(uuid);
    const row: Record<string, Value> = { _uuid: uuid };
    for (const [c, v] of Object.entries(insert.columns)) row[c] = v as NbValue as Value;
    (tables[insert.table] ??= []).push(row as StateRow);
  });
  plan.inserts.forEach((insert, i) => {
    const uuid = created[i] as Uuid;
    if (insert.parent) {
      const parentUuid = 'uuid' in insert.parent.ref ? insert.parent.ref.uuid : (created[insert.parent.ref.insert] as Uuid);
      mutateSet(tables, insert.parent.table, parentUuid, insert.parent.column, [uuid], []);
    }
    for (const m of insert.memberOf) mutateSet(tables, m.table, m.uuid, m.column, m.op === 'insert' ? [uuid] : [], m.op === 'delete' ? [uuid] : []);
  });
  for (const update of plan.updates) {
    for (const change of update.changes) {
      if (change.set) mutateSet(tables, update.table, update.uuid, change.column, change.set.added, change.set.removed);
      else replace(tables, update.table, { ...find(tables, update.table, update.uuid), [change.column]: change.new });
    }
    for (const m of update.memberOf) {
      mutateSet(tables, m.table, m.uuid, m.column, m.op === 'insert' ? [update.uuid] : [], m.op === 'delete' ? [update.uuid] : []);
    }
  }
  for (const d of plan.deletes) {
    if (d.parent && tables[d.parent.table]?.some((r) => r._uuid === d.parent!.uuid)) {
      mutateSet(tables, d.parent.table, d.parent.uuid, d.parent.column, [], [d.uuid]);
    }
    tables[d.table] = (tables[d.table] ?? []).filter((r) => r._uuid !== d.uuid);
  }
  // Garbage collection of non-root rows nobody refers to (RFC 7047 §3.2).
  const referenced = new Set<Atom>([
    ...(tables.Port_Group ?? []).flatMap((r) => (r.acls as readonly Atom[]) ?? []),
    ...(tables.Logical_Router ?? []).flatMap((r) => (r.nat as readonly Atom[]) ?? []),
  ]);
  tables.ACL = (tables.ACL ?? []).filter((r) => referenced.has(r._uuid));
  tables.NAT = (tables.NAT ?? []).filter((r) => referenced.has(r._uuid));
  return tables;
}
