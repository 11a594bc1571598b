// @ovn-nbgen/ovsdb/notation: OVSDB values (RFC 7047 §5.1), the schema that types them, and their
// JSON forms in rows, conditions, mutations and transaction results, as the client encodes and
// decodes them (docs/ovsdb-values.md). The root has the value types and `uuid`/`namedUuid`.
export * from '../schema/index.js';
export * from '../notation/index.js';
export * from '../txn/index.js';
