// For the session tests against real servers: sessions opened by one test file, closed after its tests.
import { afterAll } from 'vitest';
import type { SessionOptions } from '../../src/index.js';
import { connectChannel, type OvsdbSession } from '../../src/subpaths/session.js';

/**
 * `open(remote, options)` connects a session that is closed after the file's tests. Call it after
 * starting the file's server, so the sessions close before the server stops.
 */
export function sessionsClosedAfterAll(): (remote: string, options?: SessionOptions) => OvsdbSession {
  const sessions: OvsdbSession[] = [];
  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.close()));
  });
  return (remote, options = {}) => {
    const session = connectChannel({ remote, ...options });
    sessions.push(session);
    return session;
  };
}
