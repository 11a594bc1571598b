// @ovn-nbgen/ovsdb: OVSDB wire client, schema-typed rows, monitor cache, in-memory NB, reconcile.
export * from './errors';
export * from './rpc/channel';
