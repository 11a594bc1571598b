import type { ConnectedEvent, NotificationListener, OvsdbChannel } from './channel.js';

/**
 * The listener bookkeeping behind OvsdbChannel's `onNotification`, `onConnected` and
 * `onDisconnected`, for a channel to extend: each `on…` returns the function that removes the
 * listener again, and the channel calls the sets' members when the event happens.
 */
export abstract class ChannelListeners implements Pick<OvsdbChannel, 'onNotification' | 'onConnected' | 'onDisconnected'> {
  protected readonly notificationListeners = new Set<NotificationListener>();
  protected readonly connectedListeners = new Set<(event: ConnectedEvent) => void | Promise<void>>();
  protected readonly disconnectedListeners = new Set<(error: Error) => void>();

  onNotification(listener: NotificationListener): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  onConnected(listener: (event: ConnectedEvent) => void | Promise<void>): () => void {
    this.connectedListeners.add(listener);
    return () => this.connectedListeners.delete(listener);
  }

  onDisconnected(listener: (error: Error) => void): () => void {
    this.disconnectedListeners.add(listener);
    return () => this.disconnectedListeners.delete(listener);
  }
}
