import type { ManifestSource } from './documents.js';
import { loadModelReading, type LoadedModel, type LoadOptions } from './modelLoading.js';

export type { LoadedModel, LoadOptions } from './modelLoading.js';

/**
 * manifests → validated model, frozen all the way down (its lists, every object, their labels,
 * rules and ports): immutable as its type says, so callers may hold parts of it. Throws InputError
 * with every issue found (file, document, field path); nothing partial is returned.
 */
export function loadModel(sources: readonly ManifestSource[], options: LoadOptions = {}): LoadedModel {
  return loadModelReading(sources, options, ITEM_BY_ITEM_FROM);
}

/**
 * From this many characters a one-file `kind: List` JSON is read item by item (modelLoading.ts).
 * Below it the list is parsed whole: the item reader then runs cold, and its scan and small
 * parses cost more than what the collector would copy (800 rows, 0.66 MB: loadModel 42 → 50 ms;
 * 1.7 MB: 105 → 96 ms; 18 MB: 635 → 506 ms, docs/speed-log.md "front5").
 */
const ITEM_BY_ITEM_FROM = 1_000_000;
