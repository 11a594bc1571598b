// A minimal client for the OVS "unixctl" control socket (what `ovs-appctl -t SOCKET cmd args`
// talks to): JSON-RPC 1.0 objects written back to back on a unix socket, one request in flight at
// a time. Used to send `trace` commands to an ovn-trace daemon without spawning a process per
// probe (ovs-appctl costs ~3 ms a call; a request on an open socket costs well under 1 ms).
import { createConnection, type Socket } from 'node:net';

interface Pending {
  readonly resolve: (value: string) => void;
  readonly reject: (error: Error) => void;
}

export class UnixctlError extends Error {
  constructor(
    readonly socketPath: string,
    readonly method: string,
    readonly detail: string,
  ) {
    super(`${socketPath}: ${method}: ${detail}`);
    this.name = 'UnixctlError';
  }
}

export class UnixctlClient {
  private buffer = '';
  private nextId = 1;
  private readonly pending = new Map<number, Pending & { method: string }>();
  private closedError: Error | null = null;

  private constructor(
    private readonly socketPath: string,
    private readonly socket: Socket,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (error) => this.failAll(error));
    socket.on('close', () => this.failAll(new Error('connection closed')));
  }

  static connect(socketPath: string): Promise<UnixctlClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(socketPath);
      socket.once('connect', () => resolve(new UnixctlClient(socketPath, socket)));
      socket.once('error', reject);
    });
  }

  /** Sends `method params...` and resolves with the command's text reply. */
  call(method: string, params: readonly string[]): Promise<string> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.socket.write(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const end = endOfFirstJsonValue(this.buffer);
      if (end === null) return;
      const text = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end);
      this.onMessage(JSON.parse(text) as { id?: unknown; result?: unknown; error?: unknown });
    }
  }

  private onMessage(message: { id?: unknown; result?: unknown; error?: unknown }): void {
    if (typeof message.id !== 'number') return; // notifications: none are expected
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.error !== null && message.error !== undefined) {
      waiter.reject(new UnixctlError(this.socketPath, waiter.method, String(message.error)));
    } else {
      waiter.resolve(typeof message.result === 'string' ? message.result : JSON.stringify(message.result));
    }
  }

  private failAll(error: Error): void {
    this.closedError ??= new UnixctlError(this.socketPath, 'connection', error.message);
    for (const waiter of this.pending.values()) waiter.reject(this.closedError);
    this.pending.clear();
  }
}

/**
 * Index just past the first complete JSON value at the start of `text` (after leading
 * whitespace), or null if it is not complete yet. Counts brackets outside strings.
 */
export function endOfFirstJsonValue(text: string): number | null {
  let depth = 0;
  let inString = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      depth++;
      started = true;
    } else if (c === '}' || c === ']') {
      depth--;
      if (started && depth === 0) return i + 1;
    }
  }
  return null;
}
