import { OvsdbError } from '../errors.js';
import type { BaseType, ColumnType } from '../schema/types.js';
import { columnKind } from '../schema/types.js';
import type { TableSchema } from '../schema/schema.js';
import { decodeValue, setEntry } from '../notation/codec.js';
import { defaultValue, type Atom, type Value } from '../notation/value.js';
import { toggledSet } from './setSteps.js';

/**
 * update2 `modify` semantics, exactly as ovsdb-server computes them
 * (lib/ovsdb-data.c ovsdb_datum_diff / ovsdb_datum_apply_diff_in_place):
 * - columns with max == 1 (scalars and optional 0..1 columns): the diff IS the new value;
 * - sets: the diff is the symmetric difference — toggle each member;
 * - maps: per key, absent → add, present with the same value → remove, present with another
 *   value → replace.
 * A 1-element diff arrives as a bare atom, like any 1-element set.
 */
export function applyColumnDiff(type: ColumnType, current: Value, diff: unknown, where: string): Value {
  switch (columnKind(type)) {
    case 'scalar':
    case 'optional':
      return decodeValue(type, diff, where);
    case 'set': {
      const toggles = decodeValue({ key: type.key, min: 0, max: Infinity }, diff, where) as readonly Atom[];
      return toggledSet(current as readonly Atom[], toggles);
    }
    case 'map': {
      const changes = decodeValue(
        { key: type.key, value: type.value as BaseType, min: 0, max: Infinity },
        diff,
        where,
      ) as Readonly<Record<string, Atom>>;
      const map: Record<string, Atom> = { ...(current as Readonly<Record<string, Atom>>) };
      for (const [key, value] of Object.entries(changes)) {
        if (Object.prototype.hasOwnProperty.call(map, key) && map[key] === value) delete map[key];
        else setEntry(map, key, value);
      }
      return map;
    }
  }
}

/** Applies a `modify` row diff to a cached row's columns; returns the new column values. */
export function applyRowDiff(
  table: TableSchema,
  current: Readonly<Record<string, Value>>,
  diff: unknown,
): Record<string, Value> {
  if (typeof diff !== 'object' || diff === null || Array.isArray(diff)) {
    throw new OvsdbError('OVSDB_PROTOCOL', `${table.name}: modify diff must be an object`);
  }
  const next: Record<string, Value> = { ...current };
  for (const [name, wire] of Object.entries(diff as Record<string, unknown>)) {
    const column = table.columns.get(name);
    if (!column) throw new OvsdbError('OVSDB_PROTOCOL', `${table.name}: server sent unknown column ${name}`);
    const where = column.path;
    next[name] = applyColumnDiff(column.type, current[name] ?? defaultValue(column.type), wire, where);
  }
  return next;
}
