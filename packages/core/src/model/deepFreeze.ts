/**
 * Freezes plain data (objects, arrays, primitives: what a Model holds) and everything in it.
 * Objects already frozen are taken as frozen all the way down (shared defaults, a model part
 * frozen before). Primitives are skipped before the call and arrays walked by index, not by
 * `Object.keys` (which makes a string per element): half the cost of the plain recursive walk
 * on 50,000 pods (bench/compile/freezeCost.ts).
 */
export function deepFreeze<T extends object>(value: T): T {
  if (Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) deepFreeze(item);
    }
  } else {
    // for-in over own keys, not Object.keys: no key array per object (about 100,000 of them for
    // 10,000 policies); V8 walks a plain object's keys from its map's cache.
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const item: unknown = (value as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) deepFreeze(item);
    }
  }
  return Object.freeze(value);
}
