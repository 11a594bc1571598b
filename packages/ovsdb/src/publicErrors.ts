// @ovn-nbgen/ovsdb/errors: every error class the package throws, without the client, so a caller that
// only maps errors to messages (the CLI's reportError) does not load the OVSDB client to do it.
export * from './errors.js';
export { ReconcileError, type ReconcileErrorCode } from './reconcile/errors.js';
export { RemoteSyntaxError } from './remotes/parseRemotes.js';
