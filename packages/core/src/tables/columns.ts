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

/** A row's column written from one of its fields by name: `{ name: 'match', type: 'string', value: r => r.match }`. */
export function column<R>(spec: ColumnSpec<R>): ColumnSpec<R> {
  return Object.freeze(spec);
}
