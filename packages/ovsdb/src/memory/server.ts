import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { DatabaseSchema } from '../schema/schema.js';
import { OvsdbClient, type ConnectOptions } from '../client/client.js';
import { MemoryDatabase } from './database.js';
import { MemoryTransaction } from './transaction.js';
import { defaultDatum, type Datum } from './datum.js';
import { duplexPair } from './duplexPair.js';
import { LockTable } from './locks.js';
import { MemoryChannel } from './channel.js';
import { ServerConnection, type ConnectionHost } from './serverConnection.js';
import { SERVER_SCHEMA_JSON } from './serverSchema.js';
import { sortedJson } from './dbError.js';

export const OVN_NB_SCHEMA_PATH = '/usr/share/ovn/ovn-nb.ovsschema';

export interface MemoryServerOptions {
  /** Schemas to serve (parsed or as JSON, e.g. the content of an .ovsschema file). */
  readonly schemas: readonly (DatabaseSchema | unknown)[];
  /** Row UUID source (default crypto.randomUUID). */
  readonly newUuid?: () => string;
  /**
   * Idle time after which the server sends `echo` and drops a silent client one interval later,
   * like ovsdb-server (5 s on tcp remotes, off on unix ones). Default 0 (off) everywhere.
   */
  readonly probeIntervalMs?: number;
  /**
   * `standalone` (default): like a standalone ovsdb-server, no transaction history,
   * `monitor_cond_since` never resumes. `clustered`: a Raft leader as a client sees it — `_Server`
   * says clustered/connected/leader with a cid, sid and an index that grows with every commit, and
   * monitors resume from a history bounded as ovsdb-server bounds it (100 transactions, and no
   * more atoms than the database holds).
   */
  readonly model?: 'standalone' | 'clustered';
}

/** What `setDatabaseStatus` may change in a database's `_Server.Database` row. */
export interface DatabaseStatus {
  readonly model?: 'standalone' | 'clustered' | 'relay';
  readonly connected?: boolean;
  readonly leader?: boolean;
  readonly index?: number | null;
  readonly cid?: string | null;
  readonly sid?: string | null;
  /** The schema text (empty while a clustered member has not joined). */
  readonly schema?: string | null;
}

export interface ListenOptions {
  /** A unix socket path (`punix:`). */
  readonly unix?: string;
  /** A TCP port on 127.0.0.1 (`ptcp:`); 0 picks a free one. */
  readonly tcpPort?: number;
}

/**
 * An OVSDB server held in memory, for any schema, speaking ovsdb-server's protocol over unix or
 * TCP sockets or in-process streams. Transactions, monitors, locks and errors follow
 * ovsdb-server 3.1 (standalone by default; see docs/memory-nb.md).
 *
 * @example
 *   const server = MemoryOvsdbServer.ovnNorthbound();
 *   const client = await server.connectClient();          // in-process stream
 *   const remote = await server.listen({ unix: '/tmp/nb.sock' }); // 'unix:/tmp/nb.sock'
 *   await server.close();
 */
export class MemoryOvsdbServer implements ConnectionHost {
  readonly serverId = randomUUID();
  readonly locks = new LockTable();
  readonly probeIntervalMs: number;
  private readonly databases = new Map<string, MemoryDatabase>();
  private readonly connections = new Set<ServerConnection>();
  private readonly listeners: { server: Server; unixPath?: string }[] = [];
  private readonly pendingRetries = new Set<MemoryDatabase>();
  readonly model: 'standalone' | 'clustered';

  constructor(options: MemoryServerOptions) {
    this.probeIntervalMs = options.probeIntervalMs ?? 0;
    this.model = options.model ?? 'standalone';
    const dbOptions = options.newUuid ? { newUuid: options.newUuid } : {};
    const clustered = this.model === 'clustered';
    for (const s of options.schemas) {
      const schema = s instanceof DatabaseSchema ? s : DatabaseSchema.parse(s);
      const db = new MemoryDatabase(schema, { ...dbOptions, history: clustered });
      this.databases.set(schema.name, db);
      db.onCommit(() => this.retryParkedTransactions(db));
      // A Raft member's _Server index moves with its log; here with every commit.
      if (clustered) db.onCommit(() => this.setDatabaseStatus(db.name, { index: db.commitCount }));
    }
    const server = new MemoryDatabase(DatabaseSchema.parse(SERVER_SCHEMA_JSON), { ...dbOptions, readOnly: true });
    this.databases.set('_Server', server);
    this.fillServerDatabase(server);
  }

  /** A server for the installed OVN Northbound schema (`/usr/share/ovn/ovn-nb.ovsschema`). */
  static ovnNorthbound(options: Omit<MemoryServerOptions, 'schemas'> & { readonly schemaPath?: string } = {}): MemoryOvsdbServer {
    const json: unknown = JSON.parse(readFileSync(options.schemaPath ?? OVN_NB_SCHEMA_PATH, 'utf8'));
    return new MemoryOvsdbServer({ ...options, schemas: [json] });
  }

  database(name: string): MemoryDatabase | undefined {
    return this.databases.get(name);
  }

  databaseNames(): string[] {
    return [...this.databases.keys()].sort();
  }

  /** One `_Server.Database` row per database: standalone, connected, leader (ovsdb-server 3.1). */
  private fillServerDatabase(server: MemoryDatabase): void {
    const table = server.table('Database');
    if (!table) return;
    const txn = new MemoryTransaction(server);
    for (const db of this.databases.values()) {
      const uuid = server.newUuid();
      const fields: Datum[] = table.model.columns.map((c) => defaultDatum(c.type));
      const set = (name: string, value: Datum) => {
        const c = table.model.byName.get(name);
        if (c) fields[c.index] = value;
      };
      fields[0] = { keys: [uuid] };
      fields[1] = { keys: [server.newUuid()] };
      set('name', { keys: [db.name] });
      set('model', { keys: ['standalone'] });
      set('connected', { keys: [true] });
      set('leader', { keys: [true] });
      // ovsdb-server stores the served schema as compact JSON with sorted keys.
      set('schema', { keys: [sortedJson(db.servedSchema)] });
      if (this.model === 'clustered' && db !== server) {
        set('model', { keys: ['clustered'] });
        set('cid', { keys: [server.newUuid()] });
        set('sid', { keys: [this.serverId] });
        set('index', { keys: [0] });
      }
      txn.insert(table, { uuid, fields });
    }
    txn.commit();
  }

  /**
   * Changes what `_Server` says about a database, e.g. a clustered member losing leadership
   * (`{ leader: false }`) or its quorum (`{ connected: false }`); `_Server` monitors are told like
   * on a real server. `null` clears an optional column.
   *
   * @example
   *   server.setDatabaseStatus('OVN_Northbound', { leader: false }); // a leader-only client moves on
   */
  setDatabaseStatus(database: string, status: DatabaseStatus): void {
    const server = this.databases.get('_Server') as MemoryDatabase;
    const table = server.table('Database');
    if (!table) return;
    const row = [...table.rows.values()].find((r) => r.fields[table.model.byName.get('name')?.index ?? -1]?.keys[0] === database);
    if (!row) throw new Error(`no database ${database}`);
    const txn = new MemoryTransaction(server);
    const fields = txn.modify(table, row.uuid);
    for (const [name, value] of Object.entries(status)) {
      const column = table.model.byName.get(name);
      if (!column || value === undefined) continue;
      fields[column.index] = value === null ? { keys: [] } : { keys: [value as string | number | boolean] };
    }
    txn.commit();
  }

  /** Drops every client connection, as a server restart would; the data stays. */
  dropConnections(): void {
    for (const connection of [...this.connections]) connection.close();
  }

  /** Attaches a server-side connection to a stream (a socket or one end of an in-process pair). */
  attach(stream: Duplex): ServerConnection {
    const connection = new ServerConnection(stream, this);
    this.connections.add(connection);
    return connection;
  }

  /** An in-process connection: returns the client's end of the stream. */
  connect(): Duplex {
    const [serverEnd, clientEnd] = duplexPair();
    this.attach(serverEnd);
    return clientEnd;
  }

  /** An OvsdbChannel on an in-process connection. */
  channel(requestTimeoutMs?: number): MemoryChannel {
    return new MemoryChannel(this.connect(), requestTimeoutMs);
  }

  /** An OvsdbClient on an in-process connection (closing the client closes the connection). */
  connectClient(options: Omit<ConnectOptions, 'channel' | 'remote' | 'session'> = {}): Promise<OvsdbClient> {
    return OvsdbClient.connect({ ...options, channel: this.channel() });
  }

  /** Listens on a unix socket or 127.0.0.1; resolves with the client remote (`unix:…`, `tcp:…`). */
  async listen(options: ListenOptions): Promise<string> {
    const server = createServer((socket: Socket) => {
      socket.setNoDelay(true);
      this.attach(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (options.unix !== undefined) server.listen(options.unix, resolve);
      else server.listen(options.tcpPort ?? 0, '127.0.0.1', resolve);
    });
    if (options.unix !== undefined) {
      this.listeners.push({ server, unixPath: options.unix });
      return `unix:${options.unix}`;
    }
    this.listeners.push({ server });
    return `tcp:127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  /** After a commit to `db`, parked transactions on it are tried again (`wait`s may now hold). */
  private retryParkedTransactions(db: MemoryDatabase): void {
    if (this.pendingRetries.has(db)) return;
    this.pendingRetries.add(db);
    // Like ovsdb_trigger_run after a commit: retry parked transactions once the current work ends.
    setImmediate(() => {
      this.pendingRetries.delete(db);
      for (const connection of [...this.connections]) {
        for (const parked of [...connection.parked]) if (parked.db === db) connection.retryParked(parked);
      }
    });
  }

  connectionClosed(connection: ServerConnection): void {
    this.connections.delete(connection);
  }

  /** Drops every connection and stops listening. */
  async close(): Promise<void> {
    this.dropConnections();
    await Promise.all(
      this.listeners.splice(0).map(async ({ server, unixPath }) => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        if (unixPath) await unlink(unixPath).catch(() => undefined);
      }),
    );
  }
}
