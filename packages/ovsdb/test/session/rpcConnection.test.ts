import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { OvsdbError } from '../../src/index.js';
import { OutgoingCall } from '../../src/session/outgoingCall.js';
import { RpcConnection } from '../../src/session/rpcConnection.js';
import { parseRemote } from '../../src/remotes/parseRemotes.js';
import { delay, socketDir } from './fakeOvsdbServer.js';

let cleanup: () => void;
let server: Server;
let peer: Socket;
let socket: Socket;

beforeEach(async () => {
  const temp = socketDir();
  cleanup = temp.cleanup;
  const path = join(temp.dir, 'peer.sock');
  const accepted = new Promise<Socket>((resolve) => {
    server = createServer(resolve);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  socket = connect({ path });
  await new Promise((resolve) => socket.once('connect', resolve));
  peer = await accepted;
  peer.on('error', () => {});
  peer.pause(); // never read: our writes back up
});

afterEach(async () => {
  peer.destroy();
  await new Promise((resolve) => server.close(resolve));
  cleanup();
});

it('on close, hands back queued user calls but rejects its own connection-bound calls', async () => {
  let handedBack: readonly OutgoingCall[] = [];
  let nextId = 1;
  const connection = new RpcConnection(
    socket,
    parseRemote('unix:/peer.sock'),
    { probeIntervalMs: 0, maxMessageBytes: 1 << 20, nextId: () => nextId++ },
    { onNotification: () => {}, onClosed: (_reason, unsent) => (handedBack = unsent) },
  );
  const big = 'x'.repeat(256 * 1024);
  const userCalls = Array.from({ length: 20 }, (_, index) => new OutgoingCall('transact', [index, big], 60_000));
  const outcomes = userCalls.map((call) => call.promise.catch((error: Error) => (error instanceof OvsdbError ? error.code : error.message)));
  for (const call of userCalls) expect(connection.send(call)).toBe(true);
  const own = connection.request('set_db_change_aware', [true], 60_000).catch((error: unknown) => error);
  await delay(20);

  const phases = userCalls.map((call) => call.phase);
  expect(phases).toContain('sent');
  expect(phases).toContain('queued');

  connection.close(new OvsdbError('OVSDB_CONNECTION_LOST', 'test drop'));
  expect(handedBack).toEqual(userCalls.filter((_, index) => phases[index] === 'queued'));
  expect(handedBack.every((call) => call.phase === 'waiting' && call.id === undefined)).toBe(true);
  expect(((await own) as OvsdbError).message).toBe('test drop');
  for (const call of handedBack) call.reject(new Error('handed back'));
  expect(await Promise.all(outcomes)).toEqual(phases.map((phase) => (phase === 'sent' ? 'OVSDB_CONNECTION_LOST' : 'handed back')));
  expect(connection.send(new OutgoingCall('list_dbs', [], 1000))).toBe(false);
});
