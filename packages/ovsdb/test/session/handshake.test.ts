// The round trips before a client's first request (issue 17: a no-op `nbgen diff` at 800 rows pays
// for each one): the session asks for `_Server` and db-change-awareness at once, and a client over a
// session takes the schema from the `_Server` row instead of asking `get_schema`, and does not ask
// for db-change-awareness a second time.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OvsdbClient } from '../../src/index.js';
import { connectChannel, type OvsdbSession } from '../../src/subpaths/session.js';
import { NB_SCHEMA_JSON } from '../client/fakeChannel.js';
import { FakeOvsdbServer, socketDir, STANDALONE_ROW } from './fakeOvsdbServer.js';

let dir: string;
let cleanup: () => void;
let server: FakeOvsdbServer;
const sessions: OvsdbSession[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = socketDir());
  server = new FakeOvsdbServer(join(dir, 'nb.sock'));
  await server.start();
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  await server.stop();
  cleanup();
});

function open(): OvsdbSession {
  const session = connectChannel({ remote: server.remote, maxConnectAttempts: 1, connectTimeoutMs: 1_000, requestTimeoutMs: 2_000 });
  sessions.push(session);
  return session;
}

const tableCount = Object.keys((NB_SCHEMA_JSON as { tables: object }).tables).length;

describe('the handshake', () => {
  it('sends set_db_change_aware without waiting for the answer to the _Server monitor', async () => {
    // A server that answers the _Server monitor only once db-change-awareness was asked for: a
    // session that waits for that answer first never gets it (the attempt times out).
    server.holdServerMonitorUntil = 'set_db_change_aware';
    server.handler = (message, connection) => connection.reply(message.id, ['OVN_Northbound', '_Server']);
    const channel = open();
    expect(await channel.request('list_dbs', [])).toEqual(['OVN_Northbound', '_Server']);
    expect(server.received.map((r) => r.message.method)).toEqual(['monitor_cond', 'set_db_change_aware', 'list_dbs']);
  });

  it('a client over a session reads the schema from the _Server row and asks for db-change-awareness once', async () => {
    server.serverRow = { ...STANDALONE_ROW, schema: JSON.stringify(NB_SCHEMA_JSON) };
    server.handler = (message, connection) => connection.reply(message.id, message.method === 'get_schema' ? NB_SCHEMA_JSON : {});
    const client = await OvsdbClient.connect({ channel: open() });
    expect(client.schema.tables.size).toBe(tableCount);
    expect(server.received.map((r) => r.message.method)).toEqual(['monitor_cond', 'set_db_change_aware']);
    // An explicit getSchema (as after monitor_canceled) still asks the server.
    await client.getSchema('OVN_Northbound');
    expect(server.requests('get_schema').map((r) => r.message.params)).toEqual([['OVN_Northbound']]);
  });

  it('a client asks get_schema of a server without _Server (older than OVS 2.9)', async () => {
    server.withoutServerDatabase = true;
    server.handler = (message, connection) => connection.reply(message.id, message.method === 'get_schema' ? NB_SCHEMA_JSON : {});
    const client = await OvsdbClient.connect({ channel: open() });
    expect(client.schema.tables.size).toBe(tableCount);
    expect(server.received.map((r) => r.message.method)).toEqual(['monitor_cond', 'set_db_change_aware', 'get_schema']);
  });

  it('a client connecting to a session that gives up rejects with the session error', async () => {
    await server.stop();
    const error = await OvsdbClient.connect({ channel: open() }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/^no usable OVSDB remote after 1 attempt\(s\); last: unix:.*nb\.sock: connect ENOENT/);
  });
});
