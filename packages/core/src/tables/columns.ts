import type { Capabilities } from '../capabilities.js';

/**
 * A column value as both writers see it, before either turns it into its own syntax (OVSDB JSON
 * notation for the live path, `column=value` words for ovn-nbctl): scalars, `null` for an empty
 * 0..1 column, a string set, a string→string map.
 */
export type NbValue = string | number | boolean | null | readonly string[] | Readonly<Record<string, string>>;

/**
 * How a column is written. `enum`, `integer` and `boolean` values are fixed identifiers (bare in
 * the script); `string` and `map` values come from input (always quoted); `set` is written member
 * by member.
 */
export type NbValueType = 'string' | 'enum' | 'integer' | 'boolean' | 'map' | 'set';

export interface ColumnSpec<R> {
  readonly name: string;
  readonly type: NbValueType;
  /**
   * What an absent value (`null` from the row) means. `'empty'`: a 0..1 column left empty.
   * A value: a scalar column the row may leave unset, written as the schema default (OVN's own
   * default, so the script can omit it and the live path can compare against it).
   * Absent: the row always has a value.
   */
  readonly whenNull?: 'empty' | string | number;
  /** The column exists only on targets with this capability; a non-null value elsewhere is an error. */
  readonly capability?: keyof Capabilities;
  /** Values that only some targets accept, e.g. ACL action `pass` needs `passAction`. */
  readonly valueCapabilities?: Readonly<Record<string, keyof Capabilities>>;
  readonly value: (row: R) => NbValue;
}

/** A column from a whole spec, e.g. one whose value is not a row field: `column<AclRow>({ name: 'match', type: 'string', value: (r) => r.match })`. */
export function column<R>(spec: ColumnSpec<R>): ColumnSpec<R> {
  return Object.freeze(spec);
}

/** `externalIp` → `external_ip`: the ovn-nb(5) column a row field holds (rows spell columns in camelCase). */
type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

/** The value types a row field of type `V` can be written as (null aside: `whenNull` says what it means). */
type TypesFor<V> = [Exclude<V, null>] extends [readonly string[]]
  ? 'set'
  : [Exclude<V, null>] extends [boolean]
    ? 'boolean'
    : [Exclude<V, null>] extends [number]
      ? 'integer'
      : [Exclude<V, null>] extends [string]
        ? 'string' | 'enum'
        : [Exclude<V, null>] extends [Readonly<Record<string, string>>]
          ? 'map'
          : never;

/** How one column is declared: its value type, or the type with what `ColumnSpec` says beyond it. */
type ColumnDeclaration<V> = TypesFor<V> | (Omit<ColumnSpec<never>, 'name' | 'value' | 'type'> & { readonly type: TypesFor<V> });

/**
 * A table's columns, column name → how it is written, in the order the script writes them. Each
 * column is the row field of the same name in camelCase (`external_ip` is `row.externalIp`): a
 * name no field holds, or a type the field cannot have, fails `tsc`.
 */
export type ColumnDeclarations<R> = {
  readonly [F in keyof R & string as R[F] extends NbValue ? SnakeCase<F> : never]?: ColumnDeclaration<R[F]>;
};

/** The row field that holds column `name` (`external_ip` → `externalIp`). */
const fieldOf = (name: string): string => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * The column specs of a table from its declarations, each reading its row field.
 *
 * @example
 *   columnsOf<NatRow>({ type: 'enum', external_ip: 'string', logical_port: { type: 'string', whenNull: 'empty' } })
 */
export function columnsOf<R>(declarations: ColumnDeclarations<R>): readonly ColumnSpec<R>[] {
  // The list is left unfrozen (readonly by type), as the hand-written lists were: both writers
  // iterate it per row, and frozen it made encoding the 35,000-row inventory slower
  // (bench/sideBySide/encodeColumns.ts, docs/speed-log.md).
  return Object.entries(declarations as Record<string, ColumnDeclaration<unknown>>).map(([name, declared]) => {
    const field = fieldOf(name);
    const spec = typeof declared === 'string' ? { type: declared } : declared;
    return column<R>({ name, ...spec, value: (row) => (row as Record<string, NbValue>)[field]! });
  });
}
