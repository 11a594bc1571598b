// @ovn-nbgen/ovsdb: OVSDB wire client, schema-typed rows, monitor cache, in-memory NB, reconcile.
// Also importable in parts: `@ovn-nbgen/ovsdb/live` (no in-memory server), `@ovn-nbgen/ovsdb/errors`
// (the error classes only, for code that classifies errors without loading the client).
export * from './live.js';
// In-memory NB: an in-process OVSDB server (any schema) speaking ovsdb-server's protocol.
export * from './memory/index.js';
