import { OvsdbError } from '../errors.js';
import type { BaseType, ColumnType } from '../schema/types.js';
import { columnKind } from '../schema/types.js';
import type { TableSchema } from '../schema/schema.js';
import { decodeValue, setEntry } from '../notation/codec.js';
import { defaultValue, type Atom, type Value } from '../notation/value.js';

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

/**
 * `current` with each of `toggles` removed if present, else appended: the survivors keep their
 * order and new atoms come last (setLineage.ts's walk relies on it). One pass over `current`
 * against a set of the toggles, which are few (a pod joining a group of hundreds), instead of a
 * set of the whole column per update.
 */
export function toggledSet(current: readonly Atom[], toggles: readonly Atom[]): Atom[] {
  if (toggles.length <= FEW_TOGGLES) return toggledByIndex(current, toggles);
  const pending = new Set<Atom>(toggles);
  const next: Atom[] = [];
  const removed: Atom[] = [];
  for (const atom of current) {
    if (pending.has(atom)) {
      pending.delete(atom);
      removed.push(atom);
    } else next.push(atom);
  }
  // What is left was not present: added, in the order of the diff (a set: each atom once).
  const added = [...pending];
  for (const atom of added) next.push(atom);
  return recordStep(current, next, removed, added);
}

/**
 * How a set value the cache made came from the one before it: the atoms the diff removed and
 * appended. The planner's set lineage (reconcile/setLineage.ts) follows these steps back to the
 * value it last saw instead of walking both values whole: a group of hundreds gains a port.
 * `from` is weak: a column's old values are not kept alive by its new one.
 */
export interface SetStep {
  readonly from: WeakRef<readonly Atom[]>;
  readonly removed: readonly Atom[];
  readonly added: readonly Atom[];
}

const setSteps = new WeakMap<readonly Atom[], SetStep>();

/** The step that made `value` from the value before it, when the cache made it by a diff. */
export function setStepTo(value: readonly Atom[]): SetStep | undefined {
  return setSteps.get(value);
}

function recordStep(from: readonly Atom[], to: Atom[], removed: readonly Atom[], added: readonly Atom[]): Atom[] {
  setSteps.set(to, { from: new WeakRef(from), removed, added });
  return to;
}

/** Up to this many toggles, each is looked up by `indexOf` (a native scan) and the copy is native too. */
const FEW_TOGGLES = 8;

function toggledByIndex(current: readonly Atom[], toggles: readonly Atom[]): Atom[] {
  const next = current.slice();
  const present: number[] = [];
  const added: Atom[] = [];
  for (const atom of toggles) {
    const at = current.indexOf(atom);
    if (at >= 0) present.push(at);
    else added.push(atom);
  }
  present.sort((a, b) => b - a);
  const removed: Atom[] = [];
  for (const at of present) removed.push(...next.splice(at, 1));
  for (const atom of added) next.push(atom);
  return recordStep(current, next, removed, added);
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
