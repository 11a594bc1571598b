/**
 * The baseline: the least a program can do to talk OVSDB — a net socket, JSON.stringify of
 * `{method, params, id}`, and a naive frame splitter (string decode of each chunk, brace depth
 * with string/escape tracking, JSON.parse of each complete value). No schema, no validation, no
 * decoding into rows, no reconnect: our client's overhead is measured against this.
 */
import { connect, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';

export class RawOvsdbClient {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly decoder = new StringDecoder('utf8');
  private pieces: string[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      for (const w of this.waiting.values()) w.reject(new Error('connection closed'));
      this.waiting.clear();
    });
  }

  static connect(socketPath: string): Promise<RawOvsdbClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(socketPath);
      socket.once('connect', () => resolve(new RawOvsdbClient(socket)));
      socket.once('error', reject);
    });
  }

  request(method: string, params: unknown[]): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.socket.write(JSON.stringify({ method, params, id }));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    // Scan each chunk once; keep the pieces of an unfinished message and join them at its end.
    const text = this.decoder.write(chunk);
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
      } else if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if ((c === 0x7d || c === 0x5d) && --this.depth === 0) {
        this.pieces.push(text.slice(start, i + 1));
        const message = this.pieces.join('');
        this.pieces = [];
        start = i + 1;
        this.onMessage(JSON.parse(message));
      }
    }
    if (start < text.length) this.pieces.push(text.slice(start));
  }

  private onMessage(message: { id?: unknown; method?: string; result?: unknown; error?: unknown; params?: unknown }): void {
    if (message.method === 'echo' && message.id !== null) {
      this.socket.write(JSON.stringify({ id: message.id, result: message.params, error: null }));
      return;
    }
    const waiter = typeof message.id === 'number' ? this.waiting.get(message.id) : undefined;
    if (!waiter) return; // notifications: ignored by the baseline
    this.waiting.delete(message.id as number);
    if (message.error != null) waiter.reject(new Error(JSON.stringify(message.error)));
    else waiter.resolve(message.result);
  }
}
