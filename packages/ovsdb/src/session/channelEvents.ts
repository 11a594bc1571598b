import type { OvsdbError } from '../errors.js';
import type { ServerDatabaseRow } from '../cluster/serverDatabase.js';

/** Named states of a session (see `OvsdbSession`). */
export type SessionStateName = 'idle' | 'connecting' | 'negotiating' | 'initializing' | 'ready' | 'backoff' | 'failed' | 'closed';

/** What a session reports as it works, for logs, metrics and tests. */
export interface SessionEventMap {
  state: { readonly from: SessionStateName; readonly to: SessionStateName; readonly remote?: string };
  /** A connection attempt failed, or the member was refused after reading `_Server`. */
  attemptFailed: { readonly remote: string; readonly error: OvsdbError };
  /** The member passed the `_Server` check; onConnected listeners run next. */
  accepted: { readonly remote: string; readonly server: ServerDatabaseRow | undefined; readonly generation: number };
  /** An accepted connection ended. */
  lost: { readonly remote: string; readonly error: OvsdbError };
  backoff: { readonly delayMs: number };
  /** We sent our inactivity probe (`echo`) after an idle interval. */
  probeSent: { readonly remote: string };
  /** We answered the server's `echo`. */
  serverEcho: { readonly remote: string };
  /** A `_Server.Database` row update arrived for the monitored database. */
  serverUpdate: { readonly remote: string; readonly server: ServerDatabaseRow | undefined };
  /** A listener (notification, connected, disconnected) threw; the session carries on. */
  listenerError: { readonly error: unknown };
}

export type SessionEventListener<K extends keyof SessionEventMap> = (event: SessionEventMap[K]) => void;

export class SessionEvents {
  private readonly listeners = new Map<keyof SessionEventMap, Set<(event: never) => void>>();

  on<K extends keyof SessionEventMap>(name: K, listener: SessionEventListener<K>): () => void {
    let set = this.listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends keyof SessionEventMap>(name: K, event: SessionEventMap[K]): void {
    const set = this.listeners.get(name) as Set<SessionEventListener<K>> | undefined;
    for (const listener of [...(set ?? [])]) {
      try {
        listener(event);
      } catch {
        // An observer must not break the session.
      }
    }
  }
}
