// isId is the in-memory server's; the client checks ids through namedUuid.
export { ZERO_UUID, isUuid, uuid, namedUuid, isNamedUuid, type Uuid, type NamedUuid } from './uuid.js';
export * from './value.js';
export * from './codec.js';
// validateElements is the transaction builder's, not public.
export { columnSchema, validateRow, type ValidateOptions } from './validate.js';
export * from './canonical.js';
