import { OvsdbError } from '../errors.js';
import type { DatabaseSchema, TableSchema } from '../schema/schema.js';
import { encodeRow } from '../notation/codec.js';
import { validateElements, validateRow } from '../notation/validate.js';
import { namedUuid, type NamedUuid, type Uuid } from '../notation/uuid.js';
import type { AtomInput, Row, RowInput, ValueInput } from '../notation/value.js';
import { encodeMutations, encodeWhere, type Mutation, type Where } from './operations.js';

export interface InsertResult {
  readonly uuid: Uuid;
}
export interface SelectResult {
  readonly rows: readonly Row[];
}
export interface CountResult {
  readonly count: number;
}
/** wait, comment, assert and commit answer `{}` (ovsdb-server(7) §5.2.6). */
export type EmptyResult = Readonly<Record<string, never>>;

export type OperationKind = 'insert' | 'select' | 'update' | 'mutate' | 'delete' | 'wait' | 'commit' | 'abort' | 'comment' | 'assert';

/** A typed ticket for one operation's result: `result.get(handle)`. */
export interface OpHandle<R> {
  readonly index: number;
  readonly kind: OperationKind;
  /** Phantom: carries the result type only. */
  readonly __result?: R;
}

/** An insert: its result, and the `named-uuid` other operations of the transaction can use. */
export interface InsertHandle extends OpHandle<InsertResult> {
  readonly ref: NamedUuid;
  readonly table: string;
}

/** The row holding the strong reference that keeps a non-root row alive. */
export interface ParentRef {
  readonly table: string;
  /** Exactly one of: */
  readonly uuid?: Uuid;
  readonly uuidName?: NamedUuid | InsertHandle;
  readonly where?: Where;
}

export interface InsertChildOptions {
  readonly parent: ParentRef;
  /** The parent's column referencing the child table strongly, e.g. Port_Group `acls`. */
  readonly column: string;
  readonly uuidName?: string;
}

export interface WaitOptions {
  readonly where: Where;
  readonly columns: readonly string[];
  readonly until: '==' | '!=';
  readonly rows: readonly RowInput[];
  /** Milliseconds; 0 = test now (optimistic locking). Omitted = the server waits forever. */
  readonly timeoutMs?: number;
}

export interface TransactionOptions {
  /** Check rows against the schema's constraints before sending (default true). */
  readonly validate?: boolean;
  /**
   * Values of inserted rows this answers true for are not sent: the column gets its type's default.
   * (A reconcile leaves out empty values, which at 100,000 rows are megabytes the server parses for nothing.)
   */
  readonly leaveOutOnInsert?: (value: ValueInput) => boolean;
}

/** Operation facts the result parser needs. */
export interface OperationInfo {
  readonly kind: OperationKind;
  readonly table?: string;
  readonly columns?: readonly string[];
  readonly uuidName?: string;
  readonly label: string;
}

/**
 * Builds one `transact`: operations run in order and each sees the effects of earlier ones;
 * nothing is sent until `client.transact(txn)`. Non-root rows (ACL, NAT, Logical_Switch_Port...)
 * can only be added with `insertChild`, which also adds them to their referrer: ovsdb-server
 * silently deletes an unreferenced non-root row at commit (RFC 7047 §3.2), so a plain `insert`
 * of one is refused here.
 *
 * @example
 *   const txn = new Transaction(client.schema);
 *   const pg = txn.insert('Port_Group', { name: 'pg_web' });
 *   txn.insertChild('ACL', { priority: 1001, direction: 'to-lport', match: 'ip4', action: 'allow' },
 *     { parent: { table: 'Port_Group', uuidName: pg }, column: 'acls' });
 *   const result = await client.transact(txn);
 *   result.uuidOf(pg); // the new Port_Group's UUID
 */
export class Transaction {
  private readonly ops: unknown[] = [];
  private readonly infos: OperationInfo[] = [];
  /** uuid-names the caller chose; the generated ones are `new_<table>_<n>`, table in generatedNames[n]. */
  private readonly givenNames = new Set<string>();
  private readonly generatedNames: string[] = [];
  private readonly validate: boolean;
  readonly leaveOutOnInsert: ((value: ValueInput) => boolean) | undefined;

  constructor(
    readonly schema: DatabaseSchema,
    options: TransactionOptions = {},
  ) {
    this.validate = options.validate ?? true;
    this.leaveOutOnInsert = options.leaveOutOnInsert;
  }

  get length(): number {
    return this.ops.length;
  }

  /** The wire operations (`params` after the database name). */
  get operations(): readonly unknown[] {
    return this.ops;
  }

  get operationInfo(): readonly OperationInfo[] {
    return this.infos;
  }

  /** Insert into a root table. Non-root tables need `insertChild` (see the class comment). */
  insert(table: string, row: RowInput, options: { uuidName?: string } = {}): InsertHandle {
    const t = this.schema.table(table);
    this.assertRoot(t);
    return this.pushInsert(t, row, options.uuidName);
  }

  /**
   * Insert a root row together with new children it references strongly: each group's children
   * first, then the parent with their uuid-names added to `row[column]`. No mutate is needed, and
   * none would be cheaper: at 10k port groups of 9 ACLs each, `insertChildren` under a new parent
   * costs 10k more operations for the server to run. The children are never orphans, as the
   * parent's own insert holds them.
   *
   * @example
   *   const { parent, children } = txn.insertWithChildren('Port_Group', { name: 'pg_web' }, [
   *     { column: 'acls', table: 'ACL', rows: [{ priority: 1001, direction: 'to-lport', match: 'ip4', action: 'allow' }] },
   *   ]);
   */
  insertWithChildren(
    table: string,
    row: RowInput,
    groups: readonly { readonly column: string; readonly table: string; readonly rows: readonly RowInput[] }[],
    options: { uuidName?: string } = {},
  ): { parent: InsertHandle; children: InsertHandle[][] } {
    const t = this.schema.table(table);
    // Everything is checked before any operation is added: a refusal leaves the transaction as it was.
    this.assertRoot(t);
    for (const group of groups) {
      const type = this.schema.column(table, group.column).type;
      if (type.value || type.key.refTable !== group.table || type.key.refType !== 'strong') {
        throw new OvsdbError('OVSDB_SCHEMA', `${table}.${group.column} is not a set of strong references to ${group.table}`);
      }
      if (!Array.isArray(row[group.column] ?? [])) {
        throw new OvsdbError('OVSDB_SCHEMA', `${table}.${group.column}: give the references already held as an array`);
      }
      if (this.validate) for (const child of group.rows) validateRow(this.schema.table(group.table), child);
    }
    if (this.validate) {
      // A group column's held references come as an array whatever its bound (a 0..1 column too):
      // they are checked as its elements, and their number with the new children's against the bound.
      const own: Record<string, unknown> = { ...row };
      for (const group of groups) delete own[group.column];
      validateRow(t, own as RowInput);
      for (const group of groups) {
        const { max } = this.schema.column(table, group.column).type;
        const held = (row[group.column] ?? []) as readonly unknown[];
        validateElements(t, group.column, held);
        const count = groups.reduce((n, g) => (g.column === group.column ? n + g.rows.length : n), held.length);
        if (count > max) throw new OvsdbError('OVSDB_SCHEMA', `${table}.${group.column} holds at most ${max}: ${count} references given`);
      }
    }
    if (options.uuidName !== undefined && this.hasUuidName(options.uuidName)) {
      throw new OvsdbError('OVSDB_SCHEMA', `duplicate uuid-name ${options.uuidName}`);
    }
    // Each group column: the references the row holds, then its new children's uuid-names.
    const refs = new Map<string, AtomInput[]>();
    const children: InsertHandle[][] = new Array(groups.length);
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      const childTable = this.schema.table(group.table);
      const given = (refs.get(group.column) ?? row[group.column] ?? []) as readonly AtomInput[];
      const all: AtomInput[] = new Array(given.length + group.rows.length);
      for (let i = 0; i < given.length; i++) all[i] = given[i]!;
      const handles: InsertHandle[] = new Array(group.rows.length);
      for (let i = 0; i < group.rows.length; i++) {
        const handle = this.pushInsert(childTable, group.rows[i]!, undefined, undefined, true);
        handles[i] = handle;
        all[given.length + i] = handle.ref;
      }
      refs.set(group.column, all);
      children[g] = handles;
    }
    // A row that holds none of the columns gets them encoded after its own (no copy of it); one
    // that does, a copy with them in its place, as the wire had them before.
    let held = false;
    for (const column of refs.keys()) if (column in row) held = true;
    const parent = held ? this.pushInsert(t, { ...row, ...Object.fromEntries(refs) }, options.uuidName, undefined, true) : this.pushInsert(t, row, options.uuidName, refs, true);
    return { parent, children };
  }

  /**
   * Insert a row and add it to `parent[column]` in the same transaction. When the parent is an
   * existing row (`uuid` or `where`), a `wait` first asserts it exists, so a missing parent fails
   * the transaction (OVSDB_WAIT_FAILED) instead of the child vanishing silently.
   */
  insertChild(table: string, row: RowInput, options: InsertChildOptions): InsertHandle {
    const [handle] = this.insertChildren(table, [row], options);
    return handle as InsertHandle;
  }

  /**
   * `insertChild` for many rows of one parent: the inserts, then ONE mutate adding them all.
   * (A mutate per child would rewrite the parent's growing set each time: quadratic.)
   */
  insertChildren(
    table: string,
    rows: readonly RowInput[],
    options: Omit<InsertChildOptions, 'uuidName'> & { uuidNames?: readonly string[] },
  ): InsertHandle[] {
    const t = this.schema.table(table);
    const { parent, column } = options;
    const parentColumn = this.schema.column(parent.table, column);
    const refBase = parentColumn.type.key;
    if (parentColumn.type.value || refBase.refTable !== table) {
      throw new OvsdbError('OVSDB_SCHEMA', `${parent.table}.${column} is not a set of references to ${table}`);
    }
    if (refBase.refType === 'weak' && !t.isRoot) {
      throw new OvsdbError(
        'OVSDB_SCHEMA',
        `${parent.table}.${column} is a weak reference: it does not keep the ${table} row alive`,
      );
    }
    const parentWhere = this.parentWhere(parent);
    if (rows.length === 0) return [];
    if (parent.uuidName === undefined) {
      this.wait(parent.table, { where: parentWhere, columns: [], until: '!=', rows: [], timeoutMs: 0 });
    }
    const handles = rows.map((row, i) => this.pushInsert(t, row, options.uuidNames?.[i]));
    this.mutate(parent.table, parentWhere, [[column, 'insert', handles.map((h) => h.ref)]]);
    return handles;
  }

  /** Drop a non-root row by removing it from its referrer; the server garbage-collects it. */
  removeChild(childUuid: Uuid, options: { parent: ParentRef; column: string }): OpHandle<CountResult> {
    return this.mutate(options.parent.table, this.parentWhere(options.parent), [[options.column, 'delete', [childUuid]]]);
  }

  select(table: string, where: Where, columns?: readonly string[]): OpHandle<SelectResult> {
    for (const c of columns ?? []) this.schema.column(table, c);
    const op: Record<string, unknown> = { op: 'select', table, where: encodeWhere(this.schema, table, where) };
    if (columns) op.columns = [...columns];
    return this.push(op, { kind: 'select', table, ...(columns ? { columns } : {}), label: `select ${table}` });
  }

  update(table: string, where: Where, row: RowInput): OpHandle<CountResult> {
    const t = this.schema.table(table);
    if (this.validate) validateRow(t, row, { forUpdate: true });
    const op = { op: 'update', table, where: encodeWhere(this.schema, table, where), row: encodeRow(t, row) };
    return this.push(op, { kind: 'update', table, label: `update ${table}` });
  }

  mutate(table: string, where: Where, mutations: readonly Mutation[]): OpHandle<CountResult> {
    const op = {
      op: 'mutate',
      table,
      where: encodeWhere(this.schema, table, where),
      mutations: encodeMutations(this.schema, table, mutations),
    };
    return this.push(op, { kind: 'mutate', table, label: `mutate ${table}` });
  }

  /** Deleting a non-root row that is still referenced fails; prefer removeChild for those. */
  delete(table: string, where: Where): OpHandle<CountResult> {
    this.schema.table(table);
    const op = { op: 'delete', table, where: encodeWhere(this.schema, table, where) };
    return this.push(op, { kind: 'delete', table, label: `delete ${table}` });
  }

  /**
   * `wait` (RFC §5.2.6): holds while the rows selected by `where`, projected on `columns`, are
   * (`==`) or are not (`!=`) exactly `rows`. With `timeoutMs: 0` this is an optimistic-lock
   * check: the transaction fails with OVSDB_WAIT_FAILED if what was read has changed.
   */
  wait(table: string, options: WaitOptions): OpHandle<EmptyResult> {
    const t = this.schema.table(table);
    for (const c of options.columns) this.schema.column(table, c);
    const op: Record<string, unknown> = {
      op: 'wait',
      table,
      where: encodeWhere(this.schema, table, options.where),
      columns: [...options.columns],
      until: options.until,
      rows: options.rows.map((r) => encodeRow(t, r)),
    };
    if (options.timeoutMs !== undefined) op.timeout = options.timeoutMs;
    return this.push(op, { kind: 'wait', table, label: `wait ${table}` });
  }

  /** A note stored with the transaction in the database log (`ovsdb-tool show-log`). */
  comment(text: string): OpHandle<EmptyResult> {
    return this.push({ op: 'comment', comment: text }, { kind: 'comment', label: 'comment' });
  }

  /** Fails the transaction (`not owner`) unless this session holds `lock`. */
  assert(lock: string): OpHandle<EmptyResult> {
    assertLockName(lock);
    return this.push({ op: 'assert', lock }, { kind: 'assert', label: `assert ${lock}` });
  }

  commit(durable: boolean): OpHandle<EmptyResult> {
    return this.push({ op: 'commit', durable }, { kind: 'commit', label: 'commit' });
  }

  /** Non-root rows need a referrer in the same transaction (see the class comment). */
  private assertRoot(table: TableSchema): void {
    if (table.isRoot) return;
    const referrers = this.schema
      .referencesTo(table.name)
      .filter((r) => r.refType === 'strong')
      .map((r) => `${r.table}.${r.column}`);
    throw new OvsdbError(
      'OVSDB_SCHEMA',
      `${table.name} is not a root table: an inserted row nobody references is garbage-collected at commit; ` +
        `use insertChild(${JSON.stringify(table.name)}, row, { parent, column }) with one of ${referrers.join(', ') || '(no strong referrer)'}`,
    );
  }

  private parentWhere(parent: ParentRef): Where {
    const given = [parent.uuid, parent.uuidName, parent.where].filter((x) => x !== undefined).length;
    if (given !== 1) throw new OvsdbError('OVSDB_SCHEMA', `parent ${parent.table}: give exactly one of uuid, uuidName, where`);
    if (parent.uuid !== undefined) return [['_uuid', '==', parent.uuid]];
    if (parent.uuidName !== undefined) {
      const ref = 'ref' in parent.uuidName ? parent.uuidName.ref : parent.uuidName;
      if (!this.hasUuidName(ref.namedUuid)) {
        throw new OvsdbError('OVSDB_SCHEMA', `parent ${parent.table}: uuid-name ${ref.namedUuid} is not inserted by this transaction`);
      }
      return [['_uuid', '==', ref]];
    }
    return parent.where as Where;
  }

  /** `checked`: the caller validated the row already (insertWithChildren checks everything before adding anything). */
  private pushInsert(table: TableSchema, row: RowInput, uuidName: string | undefined, more?: ReadonlyMap<string, ValueInput>, checked = false): InsertHandle {
    if (this.validate && !checked) validateRow(table, row);
    let name: string;
    let ref: NamedUuid;
    if (uuidName === undefined) {
      name = this.freshName(table.name);
      ref = { namedUuid: name };
    } else {
      if (this.hasUuidName(uuidName)) throw new OvsdbError('OVSDB_SCHEMA', `duplicate uuid-name ${uuidName}`);
      name = uuidName;
      ref = namedUuid(name);
      this.givenNames.add(name);
    }
    const op = { op: 'insert', table: table.name, row: encodeRow(table, row, this.leaveOutOnInsert, more), 'uuid-name': name };
    // One object is both the handle and the operation's facts (35,000 inserts: 35,000 objects fewer).
    const insert = new InsertOp(this.ops.length, table.name, name, ref);
    this.ops.push(op);
    this.infos.push(insert);
    return insert;
  }

  /**
   * `new_<table>_<n>` with the next n no chosen name holds. Generated names are not kept in a set:
   * a 35,000-row insert would hash each into one for nothing but this check.
   */
  private freshName(table: string): string {
    for (;;) {
      const name = `new_${table}_${this.generatedNames.length}`;
      if (this.givenNames.size === 0 || !this.givenNames.has(name)) {
        this.generatedNames.push(table);
        return name;
      }
      this.generatedNames.push(''); // this n is a chosen name's: skipped
    }
  }

  /** Does an insert of this transaction already use `name` as its uuid-name? */
  private hasUuidName(name: string): boolean {
    if (this.givenNames.has(name)) return true;
    if (!name.startsWith('new_')) return false;
    const cut = name.lastIndexOf('_');
    const n = Number(name.slice(cut + 1));
    return cut > 4 && Number.isInteger(n) && `${n}` === name.slice(cut + 1) && this.generatedNames[n] === name.slice(4, cut);
  }

  private push<R>(op: unknown, info: OperationInfo): OpHandle<R> {
    const index = this.ops.length;
    this.ops.push(op);
    this.infos.push(info);
    return { index, kind: info.kind };
  }
}

/**
 * An insert: its handle and its facts for the result parser. The label is made only when a result
 * or error is read (35,000 inserts need none).
 */
class InsertOp implements InsertHandle, OperationInfo {
  readonly kind = 'insert';
  constructor(
    readonly index: number,
    readonly table: string,
    readonly uuidName: string,
    readonly ref: NamedUuid,
  ) {}

  get label(): string {
    return `insert ${this.table}`;
  }
}

/** Lock names are OVSDB ids (`[a-zA-Z_][a-zA-Z0-9_]*`); the server answers others with `syntax error`. */
export function assertLockName(lock: string): void {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(lock)) {
    throw new OvsdbError('OVSDB_SCHEMA', `lock name ${JSON.stringify(lock)} must match [a-zA-Z_][a-zA-Z0-9_]*`);
  }
}
