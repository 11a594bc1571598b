// A request written while its params are made (RequestOptions.moreParams): nothing else the
// connection writes (here: the reply to the server's echo) may land between its bytes.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { OvsdbError } from '../../src/index.js';
import { RpcConnection } from '../../src/session/rpcConnection.js';
import { parseRemote } from '../../src/remotes/parseRemotes.js';
import { socketDir } from './fakeOvsdbServer.js';

let server: Server | undefined;
let peer: Socket | undefined;
let cleanup = (): void => {};
afterEach(async () => {
  peer?.destroy();
  if (server) await new Promise((resolve) => server!.close(resolve));
  cleanup();
});

it('answers an echo that arrives mid-request only after the request\'s last byte', async () => {
  const temp = socketDir();
  cleanup = temp.cleanup;
  const path = join(temp.dir, 'peer.sock');
  const accepted = new Promise<Socket>((resolve) => (server = createServer(resolve)));
  await new Promise<void>((resolve) => server!.listen(path, resolve));
  const socket = connect({ path });
  await new Promise((resolve) => socket.once('connect', resolve));
  peer = await accepted;
  let received = '';
  peer.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));

  const connection = new RpcConnection(socket, parseRemote('unix:/peer.sock'), { probeIntervalMs: 0, maxMessageBytes: 1 << 20, nextId: () => 7 }, {
    onNotification: () => {},
    onClosed: () => {},
  });
  const batches = [[{ op: 'comment', comment: 'a' }], [], [{ op: 'comment', comment: 'b' }], [{ op: 'comment', comment: 'c' }]];
  async function* more(): AsyncGenerator<readonly unknown[]> {
    for (const [index, batch] of batches.entries()) {
      if (index === 1) {
        peer!.write(JSON.stringify({ method: 'echo', params: ['ping'], id: 'echo' }));
        // Until the echo is read and answered (or would have been, without the hold).
        while (!received.includes('"comment":"a"')) await new Promise((resolve) => setTimeout(resolve, 5));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      yield batch;
    }
  }
  const reply = connection.request('transact', ['OVN_Northbound'], 60_000, undefined, more());
  while (!received.includes('"ping"')) await new Promise((resolve) => setTimeout(resolve, 5));
  peer.write(JSON.stringify({ id: 7, result: [{}, {}, {}], error: null }));
  await expect(reply).resolves.toEqual([{}, {}, {}]);
  const request = JSON.stringify({ method: 'transact', params: ['OVN_Northbound', ...batches.flat()], id: 7 });
  expect(received).toBe(request + JSON.stringify({ id: 'echo', result: ['ping'], error: null }));
  connection.close(new OvsdbError('OVSDB_CLOSED', 'done'));
});
