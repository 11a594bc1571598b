/**
 * The in-memory OVSDB server, laid out like ovsdb-server itself:
 *
 *   server.ts ── sockets / in-process streams ──▶ serverConnection.ts (one client's JSON-RPC,
 *                                                    │   monitors, locks, parked waits)
 *                    execute.ts (operations) ◀───────┘──▶ monitor.ts (update/update2/update3)
 *                      │  parser.ts, condition.ts, mutation.ts          ▲
 *                      ▼                                                │ RowChange[]
 *                    transaction.ts (commit steps) ──▶ database.ts (rows, indexes, history)
 *
 * Values: the client's value model (../notation/: atoms, defaults, UUID syntax, JSON forms), held
 * in ovsdb-server's sorted layout by datum.ts (algebra, diffs); datumJson.ts (the server's
 * reading of the notation), constraints.ts, datumText.ts and commitErrors.ts (ovsdb-server's
 * wording), model.ts (numbered columns).
 */
export { MemoryOvsdbServer, OVN_NB_SCHEMA_PATH, type MemoryServerOptions, type ListenOptions, type DatabaseStatus } from './server.js';
export { MemoryChannel } from './channel.js';
export { MemoryDatabase, type RowChange } from './database.js';
export { duplexPair } from './duplexPair.js';
