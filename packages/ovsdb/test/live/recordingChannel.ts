// A channel that notes every request and notification as it leaves for the server: how the live
// reader's tests show that nothing but reads reaches ovsdb-server.
import type { OvsdbChannel } from '../../src/subpaths/session.js';

export interface SentMessage {
  readonly method: string;
  readonly params: readonly unknown[];
}

export function recording(channel: OvsdbChannel, sent: SentMessage[]): OvsdbChannel {
  return {
    request: (method, params, options) => {
      sent.push({ method, params });
      return channel.request(method, params, options);
    },
    notify: (method, params) => {
      sent.push({ method, params });
      channel.notify(method, params);
    },
    onNotification: (l) => channel.onNotification(l),
    onConnected: (l) => channel.onConnected(l),
    onDisconnected: (l) => channel.onDisconnected(l),
    get isConnected() {
      return channel.isConnected;
    },
    close: () => channel.close(),
  };
}
