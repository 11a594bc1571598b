// What the planner remembers about one set column of one row (a Port_Group's ports, an
// Address_Set's addresses) between plans, so that planning a group an event changed costs what
// the event changed, not what the group holds.
import { setStepTo, type SetStep } from '../cache/setSteps.js';
import type { Uuid } from '../notation/uuid.js';
import type { Atom } from '../notation/value.js';
import type { SetDelta } from './reconcilePlan.js';
import type { NbState } from './state.js';

/**
 * How a set column's atoms are named: a reference set's UUIDs by their target rows' names, a
 * plain set's atoms by themselves.
 */
export interface SetKeys {
  /** A number that changes when keys of atoms may have changed (a target row renamed). */
  readonly generation: number;
  /** The key of an atom the column holds, or undefined when it has none (an unknown row). */
  keyOf(atom: Atom): string | undefined;
  /** The atom a wanted key stands for, or undefined (a port not in the NB). */
  atomOf(key: string): Atom | undefined;
}

/** The change of one set column: atoms to add and remove, with their keys (the diff shows names). */
export interface SetChange extends SetDelta<Atom> {
  readonly addedKeys: readonly string[];
  readonly removedKeys: readonly string[];
  /** Wanted keys with no atom (left out; the planner warns or refuses). */
  readonly missing: readonly string[];
}

/**
 * One column of one row as the last plan saw it: the value it read (`have`), that value by key
 * and back, the keys it wanted and the change it planned. When the next plan finds the column
 * moved by exactly that change (the transaction committed, nobody else wrote it), the column
 * holds exactly the keys wanted last time, and the new change is the difference of two sorted
 * key lists: a walk over them comparing mostly identical strings, then lookups only for the keys
 * that differ. Anything else (another writer, a failed commit, unsorted keys, unknown atoms,
 * missing keys) is planned whole, as before, and remembered afresh.
 */
interface Lineage {
  readonly generation: number;
  have: readonly Atom[];
  /** `have` by key and back; built from `haveKeys` when first needed (see `keyedSame`). */
  maps: { readonly byKey: Map<string, Atom>; readonly keyByAtom: Map<Atom, string> } | undefined;
  /** The keys of `have`, in its order, while `maps` is not built. */
  haveKeys: readonly string[] | undefined;
  /** The sorted keys the last plan wanted, or undefined (unsorted, or some were missing). */
  wanted: readonly string[] | undefined;
  planned: { readonly added: ReadonlySet<Atom>; readonly removed: ReadonlySet<Atom> };
  /** `have` holds exactly `wanted` (set by `advance` when the planned change is what happened). */
  holdsWanted: boolean;
}

const NOTHING: { readonly added: ReadonlySet<Atom>; readonly removed: ReadonlySet<Atom> } = { added: new Set(), removed: new Set() };
const lineages = new WeakMap<NbState, Map<string, Lineage>>();

const lineageKey = (row: Uuid, column: string): string => `${row}\u0000${column}`;

/** Forgets a deleted row's columns. */
export function forgetSetLineage(state: NbState, row: Uuid, columns: readonly string[]): void {
  const byRow = lineages.get(state);
  if (byRow) for (const column of columns) byRow.delete(lineageKey(row, column));
}

/**
 * The change that makes `row.column` (now `have`) hold exactly the atoms of `wanted`, or
 * undefined when it does. `wanted` is a key list, sorted when it comes from compiled rows.
 * `record`: keep the lineage for the next plan of this state (false: plan only).
 */
export function planSetChange(
  state: NbState,
  row: Uuid,
  column: string,
  have: readonly Atom[],
  wanted: readonly string[],
  keys: SetKeys,
  record = true,
): SetChange | undefined {
  // A planner that plans once (a one-shot command) neither reads nor keeps lineage: the same
  // change, read whole, without a lineage per group for a next plan that never comes.
  if (!record) return holdsExactly(have, wanted, keys) ? undefined : nonEmpty(wholeChange(lineageOf(have, keys), have, wanted, keys));
  let byRow = lineages.get(state);
  if (!byRow) lineages.set(state, (byRow = new Map()));
  const id = lineageKey(row, column);
  const last = byRow.get(id);
  if (last && last.generation === keys.generation && advance(last, have, keys) && last.holdsWanted) {
    const change = changeFromLast(last, wanted, keys);
    if (change !== undefined) return remember(last, wanted, change, true);
  }
  // The column holds exactly the keys wanted (every no-op plan of a fresh state): found by
  // comparing sorted lists, without building the maps (a one-shot command never needs them).
  const same = keyedSame(have, wanted, keys);
  if (same) {
    byRow.set(id, same);
    return undefined;
  }
  // Read whole, and remembered afresh (a lineage read whole also heals a renamed target).
  const fresh = lineageOf(have, keys);
  if (fresh === undefined) {
    byRow.delete(id);
    return nonEmpty(wholeChange(undefined, have, wanted, keys));
  }
  byRow.set(id, fresh);
  return remember(fresh, wanted, wholeChange(fresh, have, wanted, keys), false);
}

/** `keyedSame` without the lineage (a planner that plans once keeps none): one key list, sorted in place. */
function holdsExactly(have: readonly Atom[], wanted: readonly string[], keys: SetKeys): boolean {
  const haveKeys = memberKeys(have, wanted, keys);
  return haveKeys !== undefined && isExactly(haveKeys.sort(), wanted);
}

/**
 * A lineage of `have` when its keys, sorted, are exactly `wanted` (sorted, no duplicates), or
 * undefined. Keeps the keys in `have`'s order so the maps can be built later without `keyOf`
 * (a target row may be gone by then).
 */
function keyedSame(have: readonly Atom[], wanted: readonly string[], keys: SetKeys): Lineage | undefined {
  const haveKeys = memberKeys(have, wanted, keys);
  if (haveKeys === undefined || !isExactly(haveKeys.slice().sort(), wanted)) return undefined;
  return { generation: keys.generation, have, maps: undefined, haveKeys, wanted, planned: NOTHING, holdsWanted: true };
}

/** The keys of `have`'s members in its order; undefined when a member has none, or when there are not as many as `wanted`. */
function memberKeys(have: readonly Atom[], wanted: readonly string[], keys: SetKeys): string[] | undefined {
  if (have.length !== wanted.length) return undefined;
  const haveKeys: string[] = new Array<string>(have.length);
  for (let k = 0; k < have.length; k++) {
    const key = keys.keyOf(have[k] as Atom);
    if (key === undefined) return undefined;
    haveKeys[k] = key;
  }
  return haveKeys;
}

/** Whether sorted keys are `wanted` (sorted, no duplicates) exactly: a repeated key is not. */
function isExactly(sorted: readonly string[], wanted: readonly string[]): boolean {
  for (let k = 0; k < sorted.length; k++) {
    if (sorted[k] !== wanted[k]) return false;
    if (k > 0 && !((sorted[k - 1] as string) < (sorted[k] as string))) return false;
  }
  return true;
}

/** The lineage's maps, built from the keys kept by `keyedSame` when first needed. */
function mapsOf(lineage: Lineage): NonNullable<Lineage['maps']> {
  if (lineage.maps) return lineage.maps;
  const byKey = new Map<string, Atom>();
  const keyByAtom = new Map<Atom, string>();
  const haveKeys = lineage.haveKeys!;
  for (const [k, atom] of lineage.have.entries()) {
    byKey.set(haveKeys[k] as string, atom);
    keyByAtom.set(atom, haveKeys[k] as string);
  }
  lineage.haveKeys = undefined;
  return (lineage.maps = { byKey, keyByAtom });
}

/** A lineage of `have` read whole; undefined when an atom has no key or two share one. */
function lineageOf(have: readonly Atom[], keys: SetKeys): Lineage | undefined {
  const byKey = new Map<string, Atom>();
  const keyByAtom = new Map<Atom, string>();
  for (const atom of have) {
    const key = keys.keyOf(atom);
    if (key === undefined || byKey.has(key)) return undefined;
    byKey.set(key, atom);
    keyByAtom.set(atom, key);
  }
  return { generation: keys.generation, have, maps: { byKey, keyByAtom }, haveKeys: undefined, wanted: undefined, planned: NOTHING, holdsWanted: false };
}

/**
 * Moves `last` to the column's value `have`: the atoms that left and came are found from the
 * cache's record of its diffs, else by one walk, and applied to the maps. Whether `have` holds what the last plan wanted
 * is whether what changed is exactly what it planned. False: read it whole instead.
 */
function advance(last: Lineage, have: readonly Atom[], keys: SetKeys): boolean {
  if (last.have === have) {
    last.holdsWanted = last.holdsWanted && last.planned.added.size === 0 && last.planned.removed.size === 0;
    return true;
  }
  const moved = movedBySteps(last.have, have) ?? movedByWalk(last.have, have);
  if (!moved) return false;
  const { left, came } = moved;
  const { byKey, keyByAtom } = mapsOf(last);
  const cameKeys: string[] = [];
  for (const atom of came) {
    const key = keys.keyOf(atom);
    if (key === undefined) return false;
    cameKeys.push(key);
  }
  for (const atom of left) {
    const key = keyByAtom.get(atom);
    if (key === undefined) return false;
    keyByAtom.delete(atom);
    if (byKey.get(key) === atom) byKey.delete(key);
  }
  for (const [k, atom] of came.entries()) {
    const key = cameKeys[k] as string;
    const other = byKey.get(key);
    // An atom that left and came back in the same walk (a shuffled value) is simply kept.
    if (other !== undefined && other !== atom) return false;
    byKey.set(key, atom);
    keyByAtom.set(atom, key);
  }
  const { planned } = last;
  const asPlanned =
    last.wanted !== undefined &&
    came.length === planned.added.size &&
    left.length === planned.removed.size &&
    came.every((a) => planned.added.has(a)) &&
    left.every((a) => planned.removed.has(a));
  last.have = have;
  last.holdsWanted = asPlanned;
  return true;
}

/** The atoms of `before` that left and those that came, as `have` holds them (its tail). */
interface Moved {
  readonly left: readonly Atom[];
  readonly came: readonly Atom[];
}

/** Steps followed back from `have` at most; a column changed more often since is walked whole. */
const MAX_STEPS = 32;

/**
 * What moved, from the cache's record of the diffs that made `have` out of `before` (cache/setSteps.ts
 * setStepTo), in time that grows with the atoms the diffs named; undefined when `have` was not
 * reached from `before` that way. An atom of `before` that was removed is in `left` (also when it
 * came back: it is appended then, as the walk would find it); what was appended since and is still
 * there is `have`'s tail, in order.
 */
function movedBySteps(before: readonly Atom[], have: readonly Atom[]): Moved | undefined {
  const steps: SetStep[] = [];
  for (let value: readonly Atom[] | undefined = have; value !== before; ) {
    const step: SetStep | undefined = value === undefined || steps.length === MAX_STEPS ? undefined : setStepTo(value);
    if (!step) return undefined;
    steps.push(step);
    value = step.from.deref();
  }
  const left = new Set<Atom>();
  const appended = new Set<Atom>();
  for (let k = steps.length - 1; k >= 0; k--) {
    const step = steps[k] as SetStep;
    for (const atom of step.removed) if (!appended.delete(atom)) left.add(atom);
    for (const atom of step.added) appended.add(atom);
  }
  if (have.length !== before.length - left.size + appended.size) return undefined;
  return { left: [...left], came: have.slice(have.length - appended.size) };
}

/**
 * What moved, found by one walk over both values (the monitor cache keeps a set's surviving atoms
 * in order and appends new ones, so the walk pairs them by identity); undefined when it is not a
 * few removals and appends, which are as cheap to read whole.
 */
function movedByWalk(before: readonly Atom[], have: readonly Atom[]): Moved | undefined {
  const left: Atom[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length && j < have.length) {
    if (before[i] === have[j]) {
      i++;
      j++;
    } else left.push(before[i++] as Atom);
    if (left.length > 64 && left.length * 4 > have.length) return undefined;
  }
  while (i < before.length) left.push(before[i++] as Atom);
  return { left, came: have.slice(j) };
}

/**
 * The change from `last.wanted` (which the column holds) to `wanted`: one merge walk of the two
 * sorted lists; undefined when `wanted` turns out unsorted or a key it adds has no atom.
 */
function changeFromLast(last: Lineage, wanted: readonly string[], keys: SetKeys): SetChange | undefined {
  const before = last.wanted!;
  if (before === wanted) return { added: [], removed: [], addedKeys: [], removedKeys: [], missing: [] };
  const { byKey } = mapsOf(last);
  const added: Atom[] = [];
  const removed: Atom[] = [];
  const addedKeys: string[] = [];
  const removedKeys: string[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < wanted.length) {
    const a = before[i];
    const b = wanted[j];
    if (b !== undefined && j > 0 && !((wanted[j - 1] as string) < b)) return undefined;
    if (a !== undefined && b !== undefined && a === b) {
      i++;
      j++;
    } else if (b === undefined || (a !== undefined && a < b)) {
      const atom = byKey.get(a!);
      if (atom === undefined) return undefined;
      removed.push(atom);
      removedKeys.push(a!);
      i++;
    } else {
      const atom = byKey.get(b) ?? keys.atomOf(b);
      if (atom === undefined) return undefined;
      if (!byKey.has(b)) {
        added.push(atom);
        addedKeys.push(b);
      }
      j++;
    }
  }
  return { added, removed, addedKeys, removedKeys, missing: [] };
}

/** The change read whole: every wanted key looked up, every held atom not wanted removed. */
function wholeChange(lineage: Lineage | undefined, have: readonly Atom[], wanted: readonly string[], keys: SetKeys): SetChange {
  const byKey = lineage ? mapsOf(lineage).byKey : undefined;
  const wantedAtoms = new Set<Atom>();
  const added: Atom[] = [];
  const addedKeys: string[] = [];
  const missing: string[] = [];
  const haveSet = byKey ? undefined : new Set(have);
  for (const key of wanted) {
    const atom = byKey?.get(key) ?? keys.atomOf(key);
    if (atom === undefined) {
      missing.push(key);
      continue;
    }
    if (wantedAtoms.has(atom)) continue;
    wantedAtoms.add(atom);
    if (byKey ? !byKey.has(key) : !haveSet!.has(atom)) {
      added.push(atom);
      addedKeys.push(key);
    }
  }
  const removed: Atom[] = [];
  const removedKeys: string[] = [];
  for (const atom of have) {
    if (wantedAtoms.has(atom)) continue;
    removed.push(atom);
    removedKeys.push((lineage ? mapsOf(lineage).keyByAtom.get(atom) : undefined) ?? keys.keyOf(atom) ?? String(atom));
  }
  return { added, removed, addedKeys, removedKeys, missing };
}

/** Records what this plan wanted and asked for; `sorted`: the walk found `wanted` sorted already. */
function remember(lineage: Lineage, wanted: readonly string[], change: SetChange, sorted: boolean): SetChange | undefined {
  let usable = change.missing.length === 0;
  if (usable && !sorted) for (let k = 1; usable && k < wanted.length; k++) usable = (wanted[k - 1] as string) < (wanted[k] as string);
  lineage.wanted = usable ? wanted : undefined;
  lineage.planned = change.added.length + change.removed.length === 0 ? NOTHING : { added: new Set(change.added), removed: new Set(change.removed) };
  // Nothing to change: the column holds what is wanted now.
  lineage.holdsWanted = usable && lineage.planned === NOTHING;
  return nonEmpty(change);
}

const nonEmpty = (change: SetChange): SetChange | undefined => (change.added.length + change.removed.length + change.missing.length === 0 ? undefined : change);
