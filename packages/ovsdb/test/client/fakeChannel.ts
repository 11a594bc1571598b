import { readFileSync } from 'node:fs';
import { OvsdbError } from '../../src/errors.js';
import type { OvsdbChannel, RequestOptions } from '../../src/rpc/channel.js';
import { ChannelListeners } from '../../src/rpc/channelListeners.js';
import { DatabaseSchema } from '../../src/schema/schema.js';

/** The installed OVN NB schema (7.0.0 on this machine), as ovsdb-server would serve it. */
export const NB_SCHEMA_JSON: unknown = JSON.parse(readFileSync('/usr/share/ovn/ovn-nb.ovsschema', 'utf8'));
export const nbSchema = (): DatabaseSchema => DatabaseSchema.parse(NB_SCHEMA_JSON);

export type Responder = (method: string, params: readonly unknown[]) => unknown;

/**
 * A scripted OvsdbChannel: `respond` answers requests (throw to reject), `emit` plays a server
 * notification, `reconnect` fires the onConnected listeners like a new session would.
 */
export class FakeChannel extends ChannelListeners implements OvsdbChannel {
  readonly requests: { method: string; params: readonly unknown[] }[] = [];
  readonly notifications: { method: string; params: readonly unknown[] }[] = [];
  isConnected = true;
  private generation = 1;

  constructor(public respond: Responder = defaultResponder) {
    super();
  }

  async request<T = unknown>(method: string, params: readonly unknown[], _options?: RequestOptions): Promise<T> {
    this.requests.push({ method, params });
    // Replies arrive on a later turn, as on a socket.
    await Promise.resolve();
    return (await this.respond(method, params)) as T;
  }

  notify(method: string, params: readonly unknown[]): void {
    this.notifications.push({ method, params });
  }

  async close(): Promise<void> {
    this.isConnected = false;
  }

  emit(method: string, params: readonly unknown[]): void {
    for (const listener of this.notificationListeners) listener(method, params);
  }

  disconnect(): void {
    this.isConnected = false;
    for (const listener of this.disconnectedListeners) listener(new OvsdbError('OVSDB_CONNECTION_LOST', 'fake disconnect'));
  }

  async reconnect(): Promise<void> {
    this.isConnected = true;
    this.generation++;
    for (const listener of this.connectedListeners) await listener({ remote: 'unix:fake', generation: this.generation });
  }

  methods(): string[] {
    return this.requests.map((r) => r.method);
  }
}

export function rpcError(error: string): OvsdbError {
  return new OvsdbError('OVSDB_RPC_ERROR', error, { serverError: error });
}

function defaultResponder(method: string): unknown {
  switch (method) {
    case 'get_schema':
      return NB_SCHEMA_JSON;
    case 'set_db_change_aware':
    case 'monitor_cancel':
      return {};
    default:
      throw rpcError('unknown method');
  }
}

export const U1 = '11111111-1111-1111-1111-111111111111';
export const U2 = '22222222-2222-2222-2222-222222222222';
export const U3 = '33333333-3333-3333-3333-333333333333';
export const U4 = '44444444-4444-4444-4444-444444444444';
export const TXN1 = 'aaaaaaaa-0000-0000-0000-000000000001';
export const TXN2 = 'aaaaaaaa-0000-0000-0000-000000000002';
