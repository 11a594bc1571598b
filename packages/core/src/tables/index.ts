// Per-table descriptors (identity, owned columns, references) and the one column encoding both
// writers use: the live reconcile (@ovn-nbgen/ovsdb) and the ovn-nbctl export (script/).
export * from './columns.js';
export * from './descriptors.js';
export * from './encode.js';
