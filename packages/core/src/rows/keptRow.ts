import { frozenMap } from './frozenMap.js';
import { sortedSet } from './sortedSet.js';

/** Fields of R holding a string set (addresses, ports, routers). */
type SetFields<R> = { [K in keyof R]-?: R[K] extends readonly string[] ? K : never }[keyof R];
/** Fields of R holding a string map (external_ids, options, vips). */
type MapFields<R> = { [K in keyof R]-?: R[K] extends readonly string[] ? never : R[K] extends Readonly<Record<string, string>> ? K : never }[keyof R];

/**
 * Every collection field of a row type and how the row keeps it: `map` as a frozen map (frozenMap),
 * `set` as a sorted list of distinct, frozen strings (sortedSet). A collection field left out, or
 * given the other kind, fails `tsc`.
 */
export type CollectionFields<R> = { readonly [K in MapFields<R>]: 'map' } & { readonly [K in SetFields<R>]: 'set' };

declare const rowType: unique symbol;

/** A table's collection fields split by kind, once per table, for keptRow. */
export interface CollectionFieldLists<R> {
  readonly maps: readonly string[];
  readonly sets: readonly string[];
  /** Ties the lists to their row type (never set). */
  readonly [rowType]?: R;
}

export function collectionFields<R extends { readonly table: string }>(fields: CollectionFields<Omit<R, 'table'>>): CollectionFieldLists<R> {
  const kinds = Object.entries(fields as Readonly<Record<string, 'map' | 'set'>>);
  return Object.freeze({
    maps: kinds.filter(([, kind]) => kind === 'map').map(([field]) => field),
    sets: kinds.filter(([, kind]) => kind === 'set').map(([field]) => field),
  });
}

/**
 * A table's row as it is kept: `row` with its collection fields kept by kind, frozen. Two rows of
 * equal content are then equal field by field: neither the order of a set's members nor a caller's
 * later change to its own map can tell them apart. `row` is the table's own literal
 * (`{ table: 'ACL', ...fields }`), so that each table's fields are copied at a site that sees only
 * that table's shape; the field lists are made once per table: one factory holding the literal
 * and reading a declaration per row made compile 6% slower at 35,000 rows (docs/speed.md).
 *
 * @example
 *   const collections = collectionFields<AddressSetRow>({ addresses: 'set', externalIds: 'map' });
 *   export function AddressSetRow(fields: Omit<AddressSetRow, 'table'>): AddressSetRow {
 *     return keptRow({ table: 'Address_Set', ...fields }, collections);
 *   }
 */
export function keptRow<R extends { readonly table: string }>(row: R, collections: CollectionFieldLists<R>): R {
  const fields = row as Record<string, unknown>;
  const { maps, sets } = collections;
  for (let i = 0; i < maps.length; i++) fields[maps[i]!] = frozenMap(fields[maps[i]!] as Readonly<Record<string, string>>);
  for (let i = 0; i < sets.length; i++) fields[sets[i]!] = sortedSet(fields[sets[i]!] as readonly string[]);
  return Object.freeze(row);
}
