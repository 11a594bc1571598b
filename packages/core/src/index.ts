// @ovn-nbgen/core: pure compile, explain and lint. No sockets, no filesystem, no node:* imports.
export * from './capabilities';
export * from './errors';
export * from './ownership';
export * from './rows';
export * from './net/ip';
export * from './naming/ovnName';
export * from './selectors/labelSelector';
export * from './model/inventory';
export * from './model/model';
export * from './netpol/model';
export * from './tiers';
export * from './nat';
export * from './manifests/documents';
export * from './manifests/load';
export * from './compile/options';
export * from './compile/compile';
export * from './script';
