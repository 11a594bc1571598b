// @ovn-nbgen/ovsdb/cache: the monitor cache's parts (replica, table store, indexes, update diffs,
// the monitor requests per method). The root has MonitorCache, which `client.monitor()` gives.
export * from '../cache/index.js';
