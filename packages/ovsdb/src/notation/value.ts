import type { ColumnType, BaseType } from '../schema/types.js';
import { columnKind } from '../schema/types.js';
import { ZERO_UUID, type NamedUuid, type Uuid } from './uuid.js';

/**
 * Decoded column values, plain JS chosen so rows compare with `toEqual` and serialise as JSON:
 * - atoms: integer/real → number, boolean, string, uuid → `Uuid` (branded string);
 * - scalar column (min 1, max 1) → the atom;
 * - optional column (min 0, max 1) → the atom or `null` (wire `["set",[]]`);
 * - set column (max > 1) → array of atoms, in the server's order;
 * - map column → `Record<string, atom>` keyed by the key atom's text (NB map keys are all
 *   strings; integer keys would appear as their decimal text and are converted back on encode).
 * In transactions a uuid atom may also be a `NamedUuid` (see txn/builder.ts).
 */
export type Atom = string | number | boolean | Uuid;
export type AtomInput = Atom | NamedUuid;
export type Value = Atom | null | readonly Atom[] | Readonly<Record<string, Atom>>;
export type ValueInput = AtomInput | null | readonly AtomInput[] | Readonly<Record<string, AtomInput>>;

/** A decoded row: column name → value. Cached and selected rows also carry `_uuid`. */
export type Row = Readonly<Record<string, Value>>;
export type RowInput = Readonly<Record<string, ValueInput>>;

export function defaultAtom(base: BaseType): Atom {
  switch (base.type) {
    case 'integer':
    case 'real':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return ZERO_UUID;
  }
}

/** The value ovsdb-server gives a column that was omitted (update2 `initial`/`insert` omit them). */
export function defaultValue(type: ColumnType): Value {
  switch (columnKind(type)) {
    case 'scalar':
      return defaultAtom(type.key);
    case 'optional':
      return null;
    case 'set':
      return type.min === 0 ? [] : [defaultAtom(type.key)];
    case 'map':
      return {};
  }
}
