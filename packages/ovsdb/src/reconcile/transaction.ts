import type { NbValue } from '@ovn-nbgen/core/script';
import type { InsertHandle, Transaction } from '../txn/builder.js';
import type { Mutation } from '../txn/operations.js';
import type { NamedUuid, Uuid } from '../notation/uuid.js';
import type { AtomInput, RowInput, ValueInput } from '../notation/value.js';
import { ReconcileError } from './errors.js';
import { planCounts, type ReconcilePlan, type RowRef } from './reconcilePlan.js';

/**
 * A column worth sending on insert: a column left out gets its type's default (empty set or map,
 * false, 0, ""), so values equal to it need not travel. At 100k rows, `"log":false` alone is 1 MB
 * the server would parse for nothing.
 */
function worthSending(value: NbValue): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return hasKeys(value);
  return true;
}

/** Whether a map holds an entry, without listing its keys (asked twice per inserted row). */
function hasKeys(map: object): boolean {
  for (const key in map) if (Object.hasOwn(map, key)) return true;
  return false;
}

/** What a reconcile's transaction leaves out of inserted rows (`TransactionOptions.leaveOutOnInsert`). */
export const leaveOutEmpty = (value: ValueInput): boolean => !worthSending(value as NbValue);

/** An insert's columns without the empty values, for a transaction that does not leave them out itself. */
function withoutEmpty(columns: Readonly<Record<string, NbValue>>): RowInput {
  const row: Record<string, ValueInput> = {};
  for (const [name, value] of Object.entries(columns)) if (worthSending(value)) row[name] = value as ValueInput;
  return row;
}

/** New children of one new root row, of one table in one of its columns (`insertWithChildren`'s group). */
interface ChildGroup {
  readonly column: string;
  readonly table: string;
  readonly rows: RowInput[];
  /** Their places in the plan's inserts. */
  readonly indexes: number[];
}

function pushTo<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Per (table, row, column): the members a set gains and loses, sent as ONE mutate. */
class SetMutations {
  private readonly byTarget = new Map<string, { table: string; uuid: Uuid; column: string; insert: AtomInput[]; delete: AtomInput[] }>();

  add(table: string, uuid: Uuid, column: string, op: 'insert' | 'delete', member: AtomInput): void {
    const key = `${table}\u0000${uuid}\u0000${column}`;
    let entry = this.byTarget.get(key);
    if (!entry) this.byTarget.set(key, (entry = { table, uuid, column, insert: [], delete: [] }));
    entry[op].push(member);
  }

  emit(txn: Transaction): void {
    for (const m of this.byTarget.values()) {
      const mutations: Mutation[] = [];
      if (m.delete.length > 0) mutations.push([m.column, 'delete', m.delete]);
      if (m.insert.length > 0) mutations.push([m.column, 'insert', m.insert]);
      txn.mutate(m.table, [['_uuid', '==', m.uuid]], mutations);
    }
  }
}

/**
 * A plan → the operations of ONE transaction, in this order: guards (wait, timeout 0), new root
 * rows (each after the new children it holds, named in its own insert), new non-root rows of
 * existing parents with one mutate per parent (insertChildren), in-place updates and set
 * deltas, membership changes, then removals (stale ACLs/NATs dropped from their parent set and
 * garbage-collected by the server; stale roots deleted). All or nothing: ovsdb-server commits the
 * transaction whole or not at all.
 */
export function buildTransaction(plan: ReconcilePlan, txn: Transaction): void {
  // A transaction made with leaveOutEmpty takes the plan's columns as they are (no copy per row).
  const insertRow = txn.leaveOutOnInsert === leaveOutEmpty ? (columns: Readonly<Record<string, NbValue>>) => columns as RowInput : withoutEmpty;
  const counts = planCounts(plan);
  const summary = Object.entries(counts)
    .filter(([, c]) => c.inserted + c.updated + c.deleted > 0)
    .map(([t, c]) => `${t} +${c.inserted} ~${c.updated} -${c.deleted}`)
    .join(', ');
  txn.comment(`nbgen reconcile (owner ${plan.owner}): ${summary || 'nothing'}`);

  for (const guard of plan.guards) {
    switch (guard.kind) {
      case 'columns':
        txn.wait(guard.table, {
          where: [['_uuid', '==', guard.uuid]],
          columns: Object.keys(guard.values),
          until: '==',
          rows: [guard.values as RowInput],
          timeoutMs: 0,
        });
        break;
      case 'children':
        txn.wait(guard.table, {
          where: [['_uuid', '==', guard.uuid]],
          columns: [guard.column],
          until: '==',
          rows: [{ [guard.column]: guard.uuids }],
          timeoutMs: 0,
        });
        break;
      case 'absent':
        txn.wait(guard.table, {
          where: [
            ['name', '==', guard.name],
            ['external_ids', 'includes', { 'nbgen/owner': guard.owner }],
          ],
          columns: [],
          until: '==',
          rows: [],
          timeoutMs: 0,
        });
        break;
    }
  }

  const handles: InsertHandle[] = new Array(plan.inserts.length);
  const refOf = (ref: RowRef): { uuid: Uuid } | { uuidName: InsertHandle } => {
    if ('uuid' in ref) return { uuid: ref.uuid };
    const handle = handles[ref.insert];
    if (!handle) throw new ReconcileError('NBGEN_RECONCILE_PLAN', `insert ${ref.insert} is referenced before it is inserted`);
    return { uuidName: handle };
  };
  const memberships = new SetMutations();

  // New children of a new root row travel inside its insert (no mutate), grouped by parent column
  // and table in plan order; the others are grouped by their existing parent, one mutate per
  // parent adding them all. (Per new root a list of groups, not a map: 10,000 new Port_Groups.)
  const inserts = plan.inserts;
  const underNewRoot: (ChildGroup[] | undefined)[] = new Array(inserts.length);
  const byParent = new Map<string, number[]>();
  for (let index = 0; index < inserts.length; index++) {
    const insert = inserts[index]!;
    const p = insert.parent;
    if (!p) continue;
    const ref = p.ref;
    if ('insert' in ref && !inserts[ref.insert]?.parent) {
      const groups = (underNewRoot[ref.insert] ??= []);
      let group: ChildGroup | undefined;
      for (const g of groups) if (g.column === p.column && g.table === insert.table) group = g;
      if (!group) groups.push((group = { column: p.column, table: insert.table, rows: [], indexes: [] }));
      group.rows.push(insertRow(insert.columns));
      group.indexes.push(index);
    } else {
      pushTo(byParent, `${insert.table}\u0000${p.table}\u0000${p.column}\u0000${'uuid' in ref ? ref.uuid : `#${ref.insert}`}`, index);
    }
  }

  // Root rows (with their new children) first: other children and memberships refer to them by uuid-name.
  for (let index = 0; index < inserts.length; index++) {
    const insert = inserts[index]!;
    if (insert.parent) continue;
    const groups = underNewRoot[index];
    if (!groups) {
      handles[index] = txn.insert(insert.table, insertRow(insert.columns));
      continue;
    }
    const { parent, children } = txn.insertWithChildren(insert.table, insertRow(insert.columns), groups);
    handles[index] = parent;
    for (let g = 0; g < groups.length; g++) {
      const indexes = groups[g]!.indexes;
      const created = children[g]!;
      for (let k = 0; k < indexes.length; k++) handles[indexes[k]!] = created[k]!;
    }
  }
  for (const indexes of byParent.values()) {
    const first = inserts[indexes[0] as number]!;
    const parent = first.parent!;
    const created = txn.insertChildren(
      first.table,
      indexes.map((i) => insertRow(inserts[i]!.columns)),
      { parent: { table: parent.table, ...refOf(parent.ref) }, column: parent.column },
    );
    created.forEach((handle, i) => (handles[indexes[i] as number] = handle));
  }
  for (let index = 0; index < inserts.length; index++) {
    const memberOf = inserts[index]!.memberOf;
    if (memberOf.length === 0) continue;
    const ref: NamedUuid = handles[index]!.ref;
    for (const m of memberOf) memberships.add(m.table, m.uuid, m.column, m.op, ref);
  }

  for (const update of plan.updates) {
    const where = [['_uuid', '==', update.uuid]] as const;
    const replaced: Record<string, ValueInput> = {};
    const mutations: Mutation[] = [];
    for (const change of update.changes) {
      if (change.set) {
        if (change.set.removed.length > 0) mutations.push([change.column, 'delete', change.set.removed]);
        if (change.set.added.length > 0) mutations.push([change.column, 'insert', change.set.added]);
      } else {
        replaced[change.column] = change.new as ValueInput;
      }
    }
    if (Object.keys(replaced).length > 0) txn.update(update.table, where, replaced);
    if (mutations.length > 0) txn.mutate(update.table, where, mutations);
    for (const m of update.memberOf) memberships.add(m.table, m.uuid, m.column, m.op, update.uuid);
  }

  // Stale non-root rows leave their parent's set (the server deletes them); a parent that is
  // itself deleted takes its children with it.
  const deletedRoots = new Set(plan.deletes.filter((d) => !d.parent).map((d) => d.uuid));
  for (const d of plan.deletes) {
    if (d.parent && !deletedRoots.has(d.parent.uuid)) memberships.add(d.parent.table, d.parent.uuid, d.parent.column, 'delete', d.uuid);
  }
  memberships.emit(txn);
  for (const d of plan.deletes) if (!d.parent) txn.delete(d.table, [['_uuid', '==', d.uuid]]);
}
