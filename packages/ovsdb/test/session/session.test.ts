import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OvsdbError, type SessionOptions } from '../../src/index.js';
import { connectChannel, type OvsdbSession } from '../../src/subpaths/session.js';
import { clusteredRow, delay, FakeOvsdbServer, socketDir, until } from './fakeOvsdbServer.js';

let dir: string;
let cleanup: () => void;
const servers: FakeOvsdbServer[] = [];
const sessions: OvsdbSession[] = [];

beforeEach(() => {
  ({ dir, cleanup } = socketDir());
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  cleanup();
});

async function startServer(name = 'nb.sock'): Promise<FakeOvsdbServer> {
  const server = new FakeOvsdbServer(join(dir, name));
  servers.push(server);
  await server.start();
  return server;
}

/** A session with fast, deterministic reconnects for tests. */
function open(remote: string, options: SessionOptions = {}): OvsdbSession {
  const session = connectChannel({ remote, backoff: () => 20, shuffleRemotes: false, ...options });
  sessions.push(session);
  return session;
}

async function rejection(promise: Promise<unknown>): Promise<OvsdbError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OvsdbError);
    return error as OvsdbError;
  }
  throw new Error('expected a rejection');
}

describe('requests and replies', () => {
  it('resolves with the result and rejects an error reply that has no result member', async () => {
    const server = await startServer();
    server.handler = (message, connection) => {
      if (message.method === 'list_dbs') connection.reply(message.id, ['OVN_Northbound', '_Server']);
      else connection.send({ id: message.id, error: { error: 'unknown database', details: 'no Nope' } });
    };
    const channel = open(server.remote);
    expect(await channel.request('list_dbs', [])).toEqual(['OVN_Northbound', '_Server']);
    const error = await rejection(channel.request('transact', ['Nope']));
    expect([error.code, error.message, error.details.serverError]).toEqual([
      'OVSDB_RPC_ERROR',
      'transact: unknown database: no Nope',
      'unknown database',
    ]);
  });

  it('sends requests as {method, params, id} with increasing integer ids', async () => {
    const server = await startServer();
    server.handler = (message, connection) => connection.reply(message.id, []);
    const channel = open(server.remote);
    await Promise.all([channel.request('list_dbs', []), channel.request('get_schema', ['OVN_Northbound'])]);
    const texts = server.received.map((received) => received.text);
    expect(texts).toEqual([
      '{"method":"monitor_cond","params":["_Server",["ovsdb-session","_Server"],{"Database":[{"columns":["name","model","connected","leader","schema","cid","index"]}]}],"id":1}',
      '{"method":"set_db_change_aware","params":[true],"id":2}',
      '{"method":"list_dbs","params":[],"id":3}',
      '{"method":"get_schema","params":["OVN_Northbound"],"id":4}',
    ]);
  });

  it('tells onEncoded the size in UTF-8 bytes of the request exactly as sent', async () => {
    const server = await startServer();
    server.handler = (message, connection) => connection.reply(message.id, []);
    const channel = open(server.remote);
    const sizes: number[] = [];
    // Non-ASCII text: bytes, not UTF-16 code units, are what travel.
    await channel.request('transact', ['OVN_Northbound', { op: 'comment', comment: 'Ünïcødé ✓' }], { onEncoded: (bytes) => sizes.push(bytes) });
    const sent = server.requests('transact')[0]!.text;
    expect(sizes).toEqual([Buffer.byteLength(sent)]);
    expect(sizes[0]).toBeGreaterThan(sent.length);
  });

  it('rejects params that are not JSON without sending anything or disturbing the session', async () => {
    const server = await startServer();
    server.handler = (message, connection) => connection.reply(message.id, 'fine');
    const channel = open(server.remote);
    const error = await rejection(channel.request('transact', ['OVN_Northbound', { op: 'mutate', value: 10n }]));
    expect([error.code, error.message]).toEqual(['OVSDB_PROTOCOL', 'transact: params are not JSON: Do not know how to serialize a BigInt']);
    expect(await channel.request('list_dbs', [])).toBe('fine');
    expect(server.requests('transact')).toEqual([]);
  });

  it("answers the server's echo at once with its id and params", async () => {
    const server = await startServer();
    const channel = open(server.remote);
    const echoes: string[] = [];
    channel.on('serverEcho', ({ remote }) => echoes.push(remote));
    await until('connected', () => channel.stateName === 'ready');
    server.connections[0]!.send('{"id":"echo","method":"echo","params":[]}');
    await until('echo answered', () => server.received.some((received) => received.message.id === 'echo'));
    expect(server.received.at(-1)!.text).toBe('{"id":"echo","result":[],"error":null}');
    expect(echoes).toEqual([server.remote]);
  });

  it('answers any other server request with an error reply', async () => {
    const server = await startServer();
    const channel = open(server.remote);
    await until('connected', () => channel.stateName === 'ready');
    server.connections[0]!.send({ id: 77, method: 'frobnicate', params: [] });
    await until('error reply', () => server.received.some((received) => received.message.id === 77));
    expect(server.received.at(-1)!.message).toEqual({
      id: 77,
      result: null,
      error: { error: 'unknown method', details: 'client does not implement "frobnicate"' },
    });
  });

  it('delivers notifications in order, before the reply that follows them', async () => {
    const server = await startServer();
    server.handler = (message, connection) =>
      connection.send(
        JSON.stringify({ id: null, method: 'update2', params: ['m', { n: 1 }] }) +
          JSON.stringify({ method: 'update2', params: ['m', { n: 2 }] }) +
          JSON.stringify({ id: message.id, result: [{}], error: null }),
      );
    const channel = open(server.remote);
    const seen: unknown[] = [];
    channel.onNotification((method, params) => seen.push([method, params[1]]));
    await channel.request('transact', ['OVN_Northbound']);
    expect(seen).toEqual([
      ['update2', { n: 1 }],
      ['update2', { n: 2 }],
    ]);
  });
});

describe('deadlines', () => {
  it('rejects with OVSDB_TIMEOUT when the reply does not come in time', async () => {
    const server = await startServer();
    const channel = open(server.remote);
    const error = await rejection(channel.request('transact', ['OVN_Northbound'], { timeoutMs: 100 }));
    expect([error.code, error.message]).toEqual(['OVSDB_TIMEOUT', 'transact: no reply within 100 ms (the server may still execute it)']);
    expect(server.requests('transact')).toHaveLength(1);
  });

  it('rejects with OVSDB_TIMEOUT, naming the connect error, when no connection comes in time', async () => {
    const channel = open(`unix:${join(dir, 'nobody.sock')}`);
    const error = await rejection(channel.request('list_dbs', [], { timeoutMs: 150 }));
    expect(error.code).toBe('OVSDB_TIMEOUT');
    expect(error.message).toMatch(/^list_dbs: not sent within 150 ms: no accepted connection \(unix:.*nobody\.sock: connect ENOENT/);
  });

  it('sends a request made while disconnected once a connection is accepted', async () => {
    const channel = open(`unix:${join(dir, 'late.sock')}`);
    const reply = channel.request('list_dbs', [], { timeoutMs: 5000 });
    await delay(100);
    const server = await startServer('late.sock');
    server.handler = (message, connection) => connection.reply(message.id, ['OVN_Northbound']);
    expect(await reply).toEqual(['OVN_Northbound']);
  });
});

describe('connection loss', () => {
  it('rejects a request in flight with OVSDB_CONNECTION_LOST and never sends it again', async () => {
    const server = await startServer();
    server.handler = (message, connection) => {
      if (message.method === 'transact') connection.drop();
      else connection.reply(message.id, ['OVN_Northbound']);
    };
    const channel = open(server.remote);
    const connectedTimes: number[] = [];
    const disconnects: string[] = [];
    channel.onConnected(({ generation }) => void connectedTimes.push(generation));
    channel.onDisconnected((error) => disconnects.push((error as OvsdbError).code));
    const error = await rejection(channel.request('transact', ['OVN_Northbound', { op: 'comment', comment: 'x' }]));
    expect(error.code).toBe('OVSDB_CONNECTION_LOST');
    expect(error.message).toMatch(/^transact: connection to unix:.* lost before the reply \(.*\); it may or may not have been executed$/);
    expect(await channel.request('list_dbs', [])).toEqual(['OVN_Northbound']);
    expect(server.requests('transact').map((received) => received.connection)).toEqual([0]);
    expect(connectedTimes).toEqual([1, 2]);
    expect(disconnects).toEqual(['OVSDB_CONNECTION_LOST']);
  });

  it('queues a request made from an onDisconnected listener for the next connection', async () => {
    const server = await startServer();
    server.handler = (message, connection) => connection.reply(message.id, `on connection ${connection.index}`);
    const channel = open(server.remote);
    let fromListener: Promise<unknown> | undefined;
    channel.onDisconnected(() => {
      fromListener ??= channel.request('list_dbs', [], { timeoutMs: 3000 });
    });
    await until('connected', () => channel.stateName === 'ready');
    server.connections[0]!.drop();
    await until('disconnected', () => fromListener !== undefined);
    expect(await fromListener).toBe('on connection 1');
  });

  it('re-sends only requests that never reached the socket (held back by backpressure)', async () => {
    const server = await startServer();
    const channel = open(server.remote);
    await until('connected', () => channel.stateName === 'ready');
    // Stop reading: the socket buffers fill and write() starts returning false.
    server.connections[0]!.socket.pause();
    const payload = 'x'.repeat(64 * 1024);
    const calls = Array.from({ length: 40 }, (_, index) =>
      channel.request('transact', ['OVN_Northbound', { op: 'comment', comment: `${index}:${payload}` }]).then(
        () => ({ index, outcome: 'ok' as const }),
        (error: OvsdbError) => ({ index, outcome: error.code }),
      ),
    );
    await delay(100);
    server.handler = (message, connection) => connection.reply(message.id, [{}]);
    server.connections[0]!.drop();
    const outcomes = await Promise.all(calls);
    const lost = outcomes.filter((outcome) => outcome.outcome === 'OVSDB_CONNECTION_LOST').map((outcome) => outcome.index);
    const succeeded = outcomes.filter((outcome) => outcome.outcome === 'ok').map((outcome) => outcome.index);
    expect(lost.length + succeeded.length).toBe(40);
    expect(lost.length).toBeGreaterThan(0);
    expect(succeeded.length).toBeGreaterThan(0);
    // What was written before the drop is lost; what waited in our outbox went out on the new connection, once.
    expect(Math.max(...lost)).toBeLessThan(Math.min(...succeeded));
    const resent = server.requests('transact').filter((received) => received.connection === 1);
    expect(resent.map((received) => Number(String((received.message.params![1] as { comment: string }).comment).split(':')[0]))).toEqual(succeeded);
  });

  it('drops a connection that sends a message larger than the maximum, then reconnects', async () => {
    const server = await startServer();
    server.handler = (message, connection) => connection.reply(message.id, message.method === 'get_schema' ? 'x'.repeat(5000) : 'small');
    const channel = open(server.remote, { maxMessageBytes: 2000 });
    const error = await rejection(channel.request('get_schema', ['OVN_Northbound']));
    expect(error.code).toBe('OVSDB_CONNECTION_LOST');
    expect((error.details.cause as OvsdbError).code).toBe('OVSDB_MESSAGE_TOO_LARGE');
    expect(await channel.request('list_dbs', [])).toBe('small');
  });

  it('gives up after maxConnectAttempts and fails waiting and later requests with OVSDB_CONNECT_FAILED', async () => {
    const channel = open(`unix:${join(dir, 'none.sock')}`, { maxConnectAttempts: 3 });
    const error = await rejection(channel.request('list_dbs', []));
    expect(error.code).toBe('OVSDB_CONNECT_FAILED');
    expect(error.message).toMatch(/^no usable OVSDB remote after 3 attempt\(s\); last: unix:.*none\.sock: connect ENOENT/);
    expect((await rejection(channel.request('list_dbs', []))).code).toBe('OVSDB_CONNECT_FAILED');
  });

  it('close() rejects waiting and in-flight requests with OVSDB_CLOSED and reports one disconnect', async () => {
    const server = await startServer();
    const channel = open(server.remote);
    const disconnects: string[] = [];
    channel.onDisconnected((error) => disconnects.push((error as OvsdbError).code));
    await until('connected', () => channel.stateName === 'ready');
    const inFlight = channel.request('transact', ['OVN_Northbound']);
    await until('sent', () => server.requests('transact').length === 1);
    const inFlightError = rejection(inFlight);
    await channel.close();
    expect((await inFlightError).code).toBe('OVSDB_CLOSED');
    expect((await rejection(channel.request('list_dbs', []))).code).toBe('OVSDB_CLOSED');
    expect(disconnects).toEqual(['OVSDB_CLOSED']);
  });
});

describe('reconnect schedule', () => {
  it('shuffles the remotes once, tries each without delay, then waits as the backoff function says', async () => {
    const remotes = ['a', 'b', 'c'].map((name) => `unix:${join(dir, `${name}.sock`)}`);
    // Fisher–Yates with random() = 0 moves each last element to the front: [a,b,c] → [b,c,a].
    const channel = open(remotes.join(','), { shuffleRemotes: true, random: () => 0, backoff: (retry) => retry * 15, maxConnectAttempts: 7 });
    const attempts: string[] = [];
    const delays: number[] = [];
    channel.on('attemptFailed', ({ remote }) => attempts.push(remote.slice(-6, -5)));
    channel.on('backoff', ({ delayMs }) => delays.push(delayMs));
    expect((await rejection(channel.request('list_dbs', []))).code).toBe('OVSDB_CONNECT_FAILED');
    expect(attempts).toEqual(['b', 'c', 'a', 'b', 'c', 'a', 'b']);
    expect(delays).toEqual([15, 30, 45, 60]);
  });

  it('keeps the given order when shuffling is off', () => {
    const list = 'unix:/x.sock,unix:/y.sock,unix:/z.sock';
    const order = (channel: OvsdbSession): string[] => channel.remotes.map((remote) => remote.text);
    expect(order(open(list, { random: () => 0, shuffleRemotes: false }))).toEqual(['unix:/x.sock', 'unix:/y.sock', 'unix:/z.sock']);
    expect(order(open(list, { random: () => 0, shuffleRemotes: true }))).toEqual(['unix:/y.sock', 'unix:/z.sock', 'unix:/x.sock']);
  });
});

describe('onConnected', () => {
  it('awaits the listeners before releasing requests queued while disconnected', async () => {
    const channel = open(`unix:${join(dir, 'nb.sock')}`);
    const queued = channel.request('list_dbs', []);
    channel.onConnected(async () => {
      await channel.request('monitor_cond', ['OVN_Northbound', 'cache', {}]);
      await delay(50);
      await channel.request('monitor_cond', ['OVN_Northbound', 'cache2', {}]);
    });
    const server = await startServer();
    server.handler = (message, connection) => connection.reply(message.id, {});
    await queued;
    expect(server.received.map((received) => received.message.method)).toEqual([
      'monitor_cond',
      'set_db_change_aware',
      'monitor_cond',
      'monitor_cond',
      'list_dbs',
    ]);
  });

  it('drops the connection and retries when a listener fails', async () => {
    const server = await startServer();
    server.handler = (message, connection) => connection.reply(message.id, {});
    const channel = open(server.remote);
    let calls = 0;
    channel.onConnected(() => {
      calls++;
      if (calls === 1) throw new Error('monitor setup failed');
    });
    await channel.request('list_dbs', []);
    expect(calls).toBe(2);
    expect(server.connections).toHaveLength(2);
  });
});

describe('inactivity probe', () => {
  it('sends echo after an idle interval and keeps a connection whose server answers', async () => {
    const server = await startServer();
    const channel = open(server.remote, { probeIntervalMs: 50 });
    const lost: string[] = [];
    channel.on('lost', ({ error }) => lost.push(error.message));
    await until('connected', () => channel.stateName === 'ready');
    await delay(400);
    expect(server.requests('echo').length).toBeGreaterThanOrEqual(3);
    expect(lost).toEqual([]);
  });

  it('drops a connection that stays silent one interval after the probe, then reconnects', async () => {
    const server = await startServer();
    server.answerEcho = false;
    const channel = open(server.remote, { probeIntervalMs: 60 });
    const lost: string[] = [];
    channel.on('lost', ({ error }) => lost.push(error.message));
    await until('dropped', () => lost.length > 0, 3000);
    expect(lost[0]).toBe(`${server.remote}: no response to inactivity probe after 60 ms`);
    await until('reconnected', () => server.connections.length >= 2, 3000);
  });
});

describe('cluster members (_Server)', () => {
  it('refuses a follower in leader-only mode and moves on to the leader', async () => {
    const follower = await startServer('follower.sock');
    follower.serverRow = clusteredRow({ leader: false });
    const leader = await startServer('leader.sock');
    leader.serverRow = clusteredRow({ leader: true, index: 4 });
    leader.handler = (message, connection) => connection.reply(message.id, 'from leader');
    const channel = open(`${follower.remote},${leader.remote}`);
    const failures: string[] = [];
    channel.on('attemptFailed', ({ error }) => failures.push(`${error.code} ${error.message}`));
    expect(await channel.request('list_dbs', [])).toBe('from leader');
    expect(failures).toEqual([`OVSDB_NOT_LEADER ${follower.remote}: cluster member is not the leader`]);
    expect(channel.server).toMatchObject({ model: 'clustered', leader: true, index: 4 });
  });

  it('accepts a follower when leaderOnly is false', async () => {
    const follower = await startServer();
    follower.serverRow = clusteredRow({ leader: false });
    follower.handler = (message, connection) => connection.reply(message.id, 'ok');
    const channel = open(follower.remote, { leaderOnly: false });
    expect(await channel.request('list_dbs', [])).toBe('ok');
  });

  it('leaves a member that loses leadership at once for the next remote', async () => {
    const first = await startServer('a.sock');
    const second = await startServer('b.sock');
    for (const server of [first, second]) server.serverRow = clusteredRow({ leader: true, index: 10 });
    second.handler = (message, connection) => connection.reply(message.id, 'from b');
    const channel = open(`${first.remote},${second.remote}`, { backoff: () => 60_000 });
    const states: string[] = [];
    channel.on('state', ({ to }) => states.push(to));
    await until('connected to a', () => channel.stateName === 'ready');
    const inFlight = channel.request('transact', ['OVN_Northbound']);
    await until('sent', () => first.requests('transact').length === 1);
    second.serverRow = clusteredRow({ leader: true, index: 12 });
    first.connections[0]!.serverUpdate({ leader: false, index: 11 });
    const error = await rejection(inFlight);
    expect(error.code).toBe('OVSDB_CONNECTION_LOST');
    expect((error.details.cause as OvsdbError).code).toBe('OVSDB_NOT_LEADER');
    // No backoff (60 s here) between leaving a and connecting to b.
    expect(await channel.request('list_dbs', [])).toBe('from b');
    expect(states).toEqual(['connecting', 'negotiating', 'initializing', 'ready', 'connecting', 'negotiating', 'initializing', 'ready']);
    expect(channel.currentRemote).toBe(second.remote);
  });

  it('never goes back in time: refuses a leader whose log index is older than one already seen', async () => {
    const ahead = await startServer('a.sock');
    ahead.serverRow = clusteredRow({ index: 20 });
    const behind = await startServer('b.sock');
    behind.serverRow = clusteredRow({ index: 15 });
    const channel = open(`${ahead.remote},${behind.remote}`);
    const failures: string[] = [];
    channel.on('attemptFailed', ({ error }) => failures.push(error.message));
    await until('connected to a', () => channel.stateName === 'ready');
    ahead.serverRow = clusteredRow({ index: 21 });
    ahead.connections[0]!.drop();
    await until('b refused and back on a', () => failures.length > 0 && channel.stateName === 'ready');
    expect(failures[0]).toBe(`${behind.remote}: cluster member is behind: log index 15 < 20 already seen`);
    expect(channel.currentRemote).toBe(ahead.remote);
  });
});
