/**
 * A row's set column: distinct strings sorted by code units (as `Array.prototype.sort` sorts),
 * frozen. A list already in that order (a CompileSession patches sorted lists in place, the
 * index hands out pods in name order) is only copied: sorting 3,000 addresses again per event
 * was most of a small event's cost. A frozen list already in order is the set itself: it cannot
 * change under the row (the port names of a policy's selection, 10,000 lists at 10,000 policies).
 */
export function sortedSet(values: readonly string[]): readonly string[] {
  let ascending = true;
  for (let i = 1; i < values.length; i++) {
    if (!(values[i - 1]! < values[i]!)) {
      ascending = false;
      break;
    }
  }
  if (ascending && Object.isFrozen(values)) return values;
  return Object.freeze(ascending ? values.slice() : sortedDistinct(values));
}

/**
 * `[...new Set(values)].sort()` without the Set: sorted, equal strings are neighbours, so the
 * repeats are dropped in one pass (5,000 peer address sets at 10,000 policies come here, each in
 * pod order, not address order).
 */
function sortedDistinct(values: readonly string[]): string[] {
  const out = values.slice().sort();
  let kept = 0;
  for (let i = 0; i < out.length; i++) if (kept === 0 || out[i] !== out[kept - 1]) out[kept++] = out[i]!;
  if (kept < out.length) out.length = kept;
  return out;
}
