/**
 * A scripted OVSDB peer on a unix socket for fast session tests. It speaks what ovsdb-server
 * speaks on the wire (concatenated JSON, `{id,result,error}` replies, error replies without
 * `result`) and answers the session's own `_Server` monitor and `set_db_change_aware` from a
 * configurable `Database` row; every other request goes to the test's handler.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonFrameSplitter } from '../../src/wire/index.js';

export interface ReceivedMessage {
  readonly connection: number;
  readonly text: string;
  readonly message: { method?: string; params?: unknown[]; id?: unknown; result?: unknown; error?: unknown };
}

export type RequestHandler = (message: ReceivedMessage['message'], connection: FakeConnection) => void;

export class FakeConnection {
  constructor(
    readonly index: number,
    readonly socket: Socket,
  ) {}

  send(value: unknown): void {
    this.socket.write(typeof value === 'string' ? value : JSON.stringify(value));
  }

  reply(id: unknown, result: unknown): void {
    this.send({ id, result, error: null });
  }

  /** Pushes a `_Server.Database` row change to the session's monitor. */
  serverUpdate(columns: Record<string, unknown>): void {
    this.send({ id: null, method: 'update2', params: [['ovsdb-session', '_Server'], { Database: { [NB_ROW_UUID]: { modify: columns } } }] });
  }

  drop(): void {
    this.socket.destroy();
  }
}

export const NB_ROW_UUID = 'b0000000-0000-0000-0000-000000000001';

export const STANDALONE_ROW = { name: 'OVN_Northbound', model: 'standalone', connected: true, leader: true, schema: '{}' };

export function clusteredRow(columns: { leader?: boolean; connected?: boolean; index?: number } = {}): Record<string, unknown> {
  return { name: 'OVN_Northbound', model: 'clustered', schema: '{}', connected: true, leader: true, index: 1, ...columns };
}

export class FakeOvsdbServer {
  readonly received: ReceivedMessage[] = [];
  readonly connections: FakeConnection[] = [];
  /** The `_Server` row this server reports for OVN_Northbound. */
  serverRow: Record<string, unknown> = STANDALONE_ROW;
  /** Whether to answer the session's `echo` probes. */
  answerEcho = true;
  handler: RequestHandler = () => {};
  private server: Server | undefined;

  constructor(readonly path: string) {}

  get remote(): string {
    return `unix:${this.path}`;
  }

  async start(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) connection.drop();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** Messages received with this method, in order. */
  requests(method: string): ReceivedMessage[] {
    return this.received.filter((received) => received.message.method === method);
  }

  private accept(socket: Socket): void {
    const connection = new FakeConnection(this.connections.length, socket);
    this.connections.push(connection);
    const splitter = new JsonFrameSplitter();
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      for (const text of splitter.push(chunk)) {
        const message = JSON.parse(text) as ReceivedMessage['message'];
        this.received.push({ connection: connection.index, text, message });
        this.answer(message, connection);
      }
    });
  }

  private answer(message: ReceivedMessage['message'], connection: FakeConnection): void {
    if (message.method === 'monitor_cond' && message.params?.[0] === '_Server') {
      connection.reply(message.id, {
        Database: {
          [NB_ROW_UUID]: { initial: this.serverRow },
          'b0000000-0000-0000-0000-000000000002': { initial: { name: '_Server', model: 'standalone', leader: true, connected: true, schema: '{}' } },
        },
      });
    } else if (message.method === 'set_db_change_aware') {
      connection.reply(message.id, {});
    } else if (message.method === 'echo' && message.id !== null) {
      if (this.answerEcho) connection.reply(message.id, message.params);
    } else if (message.method !== undefined) {
      this.handler(message, connection);
    }
  }
}

/** A temp dir for sockets, removed by the returned cleanup. */
export function socketDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'nbgen-fake-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves when `predicate` holds (polling), or rejects after `timeoutMs`. */
export async function until(what: string, predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await delay(5);
  }
}
