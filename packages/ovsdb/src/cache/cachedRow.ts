import type { Uuid } from '../notation/uuid.js';
import type { Value } from '../notation/value.js';

/** A row as the cache holds it: frozen, with its `_uuid` and the monitored columns. */
export type CachedRow = Readonly<Record<string, Value>> & { readonly _uuid: Uuid };
