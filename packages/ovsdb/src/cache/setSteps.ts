// A set column's new value from an update2 diff, and a record of how it was made (the step from
// the value before), which the planner's set lineage follows instead of comparing whole values.
// Internal: not exported from the package (cache/index.ts leaves it out).
import type { Atom } from '../notation/value.js';

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
