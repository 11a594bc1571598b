// @ovn-nbgen/ovsdb: OVSDB wire client, schema-typed rows, monitor cache, in-memory NB, reconcile.
// The client a controller imports: connect, monitor, transact, reconcile. Also importable in parts:
// `@ovn-nbgen/ovsdb/live` (the same, by the name the CLI uses), `@ovn-nbgen/ovsdb/errors` (the error
// classes only, for code that classifies errors without loading the client), `@ovn-nbgen/ovsdb/wire`
// (framing and JSON-RPC codec) and `@ovn-nbgen/ovsdb/memory` (the in-memory NB, a test tool).
export * from './live.js';
