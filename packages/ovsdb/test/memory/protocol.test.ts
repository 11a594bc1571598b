/**
 * The in-memory NB's JSON-RPC behaviour at the byte level, as ovsdb-server 3.1 shows it (the
 * reference notes record each of these from the real server): error replies without `result`,
 * sessions dropped on malformed messages, updates before the reply, parked waits and cancel,
 * the inactivity probe, and plain sockets.
 */
import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryOvsdbServer } from '../../src/memory/index.js';
import { RawPeer } from './rawPeer.js';

const servers: MemoryOvsdbServer[] = [];
function nbServer(options: { probeIntervalMs?: number } = {}): MemoryOvsdbServer {
  const server = MemoryOvsdbServer.ovnNorthbound(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('JSON-RPC framing and errors', () => {
  it('answers success with error:null and errors without a result member', async () => {
    const peer = new RawPeer(nbServer().connect());
    expect(await peer.request('echo', ['a', 1], 'my-id')).toEqual({ id: 'my-id', result: ['a', 1], error: null });
    expect(await peer.request('list_dbs', [], 2)).toEqual({ id: 2, result: ['OVN_Northbound', '_Server'], error: null });
    const unknown = await peer.request('frobnicate', [], 3);
    expect(unknown).toEqual({ id: 3, error: 'unknown method' });
    expect('result' in unknown).toBe(false);
    expect(await peer.request('transact', ['Nope'], 4)).toEqual({
      id: 4,
      error: { syntax: '["Nope"]', details: 'transact request specifies unknown database Nope', error: 'unknown database' },
    });
    expect(await peer.request('monitor_cancel', ['never'], 5)).toEqual({ id: 5, error: 'unknown monitor' });
  });

  it.each([
    ['a JSON-RPC 2.0 member', { jsonrpc: '2.0', method: 'echo', params: [], id: 1 }],
    ['a request without params', { method: 'get_server_id', id: 1 }],
    ['params that are not an array', { method: 'echo', params: null, id: 1 }],
    ['a reply nobody asked for', { id: 99, result: [], error: null }],
    ['bytes that are not JSON', '{"method":"echo",params:[]}'],
  ])('drops the connection on %s', async (_what, message) => {
    const peer = new RawPeer(nbServer().connect());
    peer.send(message);
    await peer.waitClosed();
    expect(peer.received).toEqual([]);
  });

  it('accepts the reply to its own echo probe and treats an id:null request as a notification', async () => {
    const peer = new RawPeer(nbServer().connect());
    peer.send({ id: 'echo', result: [], error: null });
    peer.send({ method: 'echo', params: ['silent'], id: null });
    expect(await peer.request('echo', ['after'], 7)).toEqual({ id: 7, result: ['after'], error: null });
    expect(peer.received).toHaveLength(1);
  });

  it('splits concatenated requests and writes replies back to back', async () => {
    const peer = new RawPeer(nbServer().connect());
    peer.send('{"method":"echo","params":[1],"id":1}\n{"method":"echo","params":[2],"id":2}');
    await peer.waitFor((m) => m.id === 2);
    expect(peer.texts).toEqual(['{"id":1,"result":[1],"error":null}', '{"id":2,"result":[2],"error":null}']);
  });
});

describe('transactions on the wire', () => {
  it("sends a client's own update2 before its transact reply", async () => {
    const peer = new RawPeer(nbServer().connect());
    await peer.request('monitor_cond', ['OVN_Northbound', 'm', { Address_Set: [{ columns: ['name'] }] }]);
    const reply = await peer.request('transact', ['OVN_Northbound', { op: 'insert', table: 'Address_Set', row: { name: 'as1' } }], 'txn');
    const uuid = ((reply.result as { uuid: [string, string] }[])[0] as { uuid: [string, string] }).uuid[1];
    const order = peer.received.map((m) => m.method ?? `reply ${JSON.stringify(m.id)}`);
    expect(order.slice(-2)).toEqual(['update2', 'reply "txn"']);
    expect(peer.received.at(-2)).toEqual({ id: null, method: 'update2', params: ['m', { Address_Set: { [uuid]: { insert: { name: 'as1' } } } }] });
  });

  it('parks a wait without timeout, and answers a cancel with "canceled" only on a db-change-aware session', async () => {
    const server = nbServer();
    const wait = { op: 'wait', table: 'Port_Group', where: [['name', '==', 'pg']], columns: ['name'], until: '==', rows: [{ name: 'pg' }] };
    const unaware = new RawPeer(server.connect());
    unaware.send({ method: 'transact', params: ['OVN_Northbound', wait], id: 'w1' });
    const aware = new RawPeer(server.connect());
    await aware.request('set_db_change_aware', [true]);
    aware.send({ method: 'transact', params: ['OVN_Northbound', wait], id: 'w2' });
    expect(await aware.request('transact', ['OVN_Northbound', wait], 'w2')).toEqual({
      id: 'w2',
      error: { details: 'transact: duplicate request ID', error: 'syntax error' },
    });
    unaware.send({ method: 'cancel', params: ['w1'], id: null });
    aware.send({ method: 'cancel', params: ['w2'], id: null });
    expect(await aware.waitFor((m) => m.id === 'w2' && m.error === 'canceled')).toEqual({ id: 'w2', error: 'canceled' });
    expect(await unaware.request('echo', [], 'after')).toEqual({ id: 'after', result: [], error: null });
    expect(unaware.received.some((m) => m.id === 'w1')).toBe(false);
  });

  it('completes a parked wait when another session commits, and times out a wait with a timeout', async () => {
    const server = nbServer();
    const waiter = new RawPeer(server.connect());
    const writer = new RawPeer(server.connect());
    const wait = (timeout?: number) => ({
      op: 'wait',
      table: 'Port_Group',
      where: [['name', '==', 'pg']],
      columns: ['name'],
      until: '==',
      rows: [{ name: 'pg' }],
      ...(timeout !== undefined ? { timeout } : {}),
    });
    const timedOut = await waiter.request('transact', ['OVN_Northbound', wait(30)], 't');
    expect(timedOut.result).toEqual([{ error: 'timed out', details: expect.stringMatching(/^"wait" timed out after \d+ ms$/) }]);
    waiter.send({ method: 'transact', params: ['OVN_Northbound', wait()], id: 'parked' });
    await writer.request('transact', ['OVN_Northbound', { op: 'insert', table: 'Port_Group', row: { name: 'pg' } }]);
    expect(await waiter.waitFor((m) => m.id === 'parked')).toEqual({ id: 'parked', result: [{}], error: null });
  });
});

describe('sessions', () => {
  it('probes an idle client with echo and drops it when it stays silent', async () => {
    const peer = new RawPeer(nbServer({ probeIntervalMs: 30 }).connect());
    expect(await peer.waitFor((m) => m.method === 'echo')).toEqual({ id: 'echo', method: 'echo', params: [] });
    await peer.waitClosed();
  });

  it('keeps an idle OvsdbClient connected: the session answers the server probe', async () => {
    const server = nbServer({ probeIntervalMs: 20 });
    const client = await server.connectClient();
    let dropped = false;
    client.channel.onDisconnected(() => (dropped = true));
    await new Promise((r) => setTimeout(r, 150));
    expect(dropped).toBe(false);
    expect(await client.echo('still here')).toEqual(['still here']);
    await client.close();
  });

  it('releases the locks of a closed session to the next waiter', async () => {
    const server = nbServer();
    const a = new RawPeer(server.connect());
    const b = new RawPeer(server.connect());
    expect((await a.request('lock', ['l'])).result).toEqual({ locked: true });
    expect((await b.request('lock', ['l'])).result).toEqual({ locked: false });
    expect(await b.request('lock', ['l'], 'again')).toEqual({
      id: 'again',
      error: { syntax: '["l"]', details: 'must issue "unlock" before new "lock"', error: 'syntax error' },
    });
    a.stream.destroy();
    expect(await b.waitFor((m) => m.method === 'locked')).toEqual({ id: null, method: 'locked', params: ['l'] });
  });

  it('serves unix and tcp sockets', async () => {
    const server = nbServer();
    const dir = await mkdtemp(join(tmpdir(), 'nbgen-mem-'));
    try {
      const unix = await server.listen({ unix: join(dir, 'nb.sock') });
      const tcp = await server.listen({ tcpPort: 0 });
      expect(unix).toBe(`unix:${join(dir, 'nb.sock')}`);
      expect(tcp).toMatch(/^tcp:127\.0\.0\.1:\d+$/);
      for (const socket of [connect(join(dir, 'nb.sock')), connect(Number(tcp.split(':')[2]), '127.0.0.1')]) {
        const peer = new RawPeer(socket);
        expect((await peer.request('get_server_id', [])).result).toBe(server.serverId);
        socket.destroy();
      }
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('wait with timeout 0', () => {
  it('fails on its first try as ovsdb-server words it, "where" clause test failed, however the clock moves', async () => {
    const peer = new RawPeer(nbServer().connect());
    // ovsdb-server tries a new transaction at the moment it arrived (0 ms elapsed); a clock that
    // ticks a millisecond between every reading must not turn that into "timed out after 1 ms".
    let now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => ++now);
    try {
      const reply = await peer.request('transact', [
        'OVN_Northbound',
        { op: 'wait', table: 'Port_Group', where: [['name', '==', 'none']], columns: ['name'], until: '==', rows: [{ name: 'none' }], timeout: 0 },
      ]);
      expect(reply.result).toEqual([{ error: 'timed out', details: '"where" clause test failed' }]);
    } finally {
      clock.mockRestore();
    }
  });
});
