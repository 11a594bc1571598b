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
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** What a reconcile's transaction leaves out of inserted rows (`TransactionOptions.leaveOutOnInsert`). */
export const leaveOutEmpty = (value: ValueInput): boolean => !worthSending(value as NbValue);

/** An insert's columns without the empty values, for a transaction that does not leave them out itself. */
function withoutEmpty(columns: Readonly<Record<string, NbValue>>): RowInput {
  const row: Record<string, ValueInput> = {};
  for (const [name, value] of Object.entries(columns)) if (worthSending(value)) row[name] = value as ValueInput;
  return row;
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

  // New children of a new root row travel inside its insert (no mutate); the others are grouped
  // by their existing parent, one mutate per parent adding them all.
  const isNewRoot = (ref: RowRef): ref is { insert: number } => 'insert' in ref && !plan.inserts[ref.insert]?.parent;
  const underNewRoot = new Map<number, Map<string, number[]>>();
  const byParent = new Map<string, number[]>();
  plan.inserts.forEach((insert, index) => {
    const p = insert.parent;
    if (!p) return;
    if (isNewRoot(p.ref)) {
      const groups = underNewRoot.get(p.ref.insert) ?? new Map<string, number[]>();
      underNewRoot.set(p.ref.insert, groups);
      pushTo(groups, `${p.column}\u0000${insert.table}`, index);
    } else {
      pushTo(byParent, `${insert.table}\u0000${p.table}\u0000${p.column}\u0000${'uuid' in p.ref ? p.ref.uuid : `#${p.ref.insert}`}`, index);
    }
  });

  // Root rows (with their new children) first: other children and memberships refer to them by uuid-name.
  plan.inserts.forEach((insert, index) => {
    if (insert.parent) return;
    const groups = [...(underNewRoot.get(index) ?? new Map<string, number[]>()).values()];
    if (groups.length === 0) {
      handles[index] = txn.insert(insert.table, insertRow(insert.columns));
      return;
    }
    const { parent, children } = txn.insertWithChildren(
      insert.table,
      insertRow(insert.columns),
      groups.map((indexes) => ({
        column: plan.inserts[indexes[0] as number]!.parent!.column,
        table: plan.inserts[indexes[0] as number]!.table,
        rows: indexes.map((i) => insertRow(plan.inserts[i]!.columns)),
      })),
    );
    handles[index] = parent;
    groups.forEach((indexes, g) => indexes.forEach((i, k) => (handles[i] = children[g]![k]!)));
  });
  for (const indexes of byParent.values()) {
    const first = plan.inserts[indexes[0] as number]!;
    const parent = first.parent!;
    const created = txn.insertChildren(
      first.table,
      indexes.map((i) => insertRow(plan.inserts[i]!.columns)),
      { parent: { table: parent.table, ...refOf(parent.ref) }, column: parent.column },
    );
    created.forEach((handle, i) => (handles[indexes[i] as number] = handle));
  }
  plan.inserts.forEach((insert, index) => {
    const ref: NamedUuid = handles[index]!.ref;
    for (const m of insert.memberOf) memberships.add(m.table, m.uuid, m.column, m.op, ref);
  });

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
