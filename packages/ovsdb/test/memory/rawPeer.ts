import type { Duplex } from 'node:stream';
import { JsonFrameSplitter } from '../../src/wire/frameSplitter.js';

export type Message = { id?: unknown; method?: string; params?: unknown[]; result?: unknown; error?: unknown };

/**
 * A bare JSON-RPC peer on one end of a stream, for asserting exact wire messages: everything
 * received is kept in order, `request` resolves with the whole reply message.
 */
export class RawPeer {
  readonly received: Message[] = [];
  readonly texts: string[] = [];
  closed = false;
  private readonly splitter = new JsonFrameSplitter();
  private nextId = 1;
  private waiters: (() => void)[] = [];

  constructor(readonly stream: Duplex) {
    stream.on('data', (chunk: Buffer) => {
      for (const text of this.splitter.push(chunk)) {
        this.texts.push(text);
        this.received.push(JSON.parse(text) as Message);
      }
      this.wake();
    });
    stream.on('close', () => {
      this.closed = true;
      this.wake();
    });
    stream.on('error', () => undefined);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  send(message: unknown): void {
    this.stream.write(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Sends `{method, params, id}` and resolves with the reply (or error reply) message. */
  async request(method: string, params: unknown[], id: unknown = this.nextId++): Promise<Message> {
    this.send({ method, params, id });
    return this.waitFor((m) => m.id !== null && JSON.stringify(m.id) === JSON.stringify(id) && m.method === undefined);
  }

  async waitFor(match: (m: Message) => boolean, timeoutMs = 2000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (this.closed) throw new Error('connection closed');
      if (Date.now() > deadline) throw new Error('timed out waiting for a message');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 20);
      });
    }
  }

  async waitClosed(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection still open');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
