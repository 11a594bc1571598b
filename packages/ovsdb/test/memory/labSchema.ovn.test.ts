/**
 * "Any schema": the in-memory server and ovsdb-server, both loaded with a schema that is not
 * OVN's (labSchema.ts), run the same transactions; results must be equal with UUIDs mapped.
 */
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { MemoryOvsdbServer } from '../../src/memory/index.js';
import { createNbDatabase, DaemonProcess, makeTempDir, removeTempDir } from '../../../../test/harness/ovsdbServer.js';
import { connect } from 'node:net';
import { LAB_SCHEMA_JSON, LAB_SCHEMA_PATH, LAB_TRANSACTIONS } from './labSchema.js';
import { UuidMapping } from './normalize.js';
import { RawPeer } from './rawPeer.js';

let daemon: DaemonProcess | undefined;
let dir: string | undefined;

afterAll(async () => {
  await daemon?.stop();
  if (dir) await removeTempDir(dir);
});

async function connectWhenReady(path: string): Promise<RawPeer> {
  for (let i = 0; i < 200; i++) {
    const socket = connect(path);
    const ok = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    });
    if (ok) return new RawPeer(socket);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${path} never accepted connections`);
}

it('answers every Lab transaction like ovsdb-server', async () => {
  dir = await makeTempDir('nbgen-lab-');
  const dbFile = join(dir, 'lab.db');
  await createNbDatabase(dbFile, LAB_SCHEMA_PATH);
  const socketPath = join(dir, 'lab.sock');
  daemon = new DaemonProcess('ovsdb-server (Lab)', [dbFile, `--remote=punix:${socketPath}`, `--unixctl=${join(dir, 'lab.ctl')}`, `--log-file=${join(dir, 'lab.log')}`, '-vconsole:off'], join(dir, 'lab.log'));
  daemon.start();
  const real = await connectWhenReady(socketPath);
  const server = new MemoryOvsdbServer({ schemas: [LAB_SCHEMA_JSON] });
  const memory = new RawPeer(server.connect());
  const mapping = new UuidMapping();
  try {
    for (const [i, ops] of LAB_TRANSACTIONS.entries()) {
      const r = (await real.request('transact', ['Lab', ...ops], i)).result;
      const m = (await memory.request('transact', ['Lab', ...ops], i)).result;
      mapping.learn(m, r);
      expect(mapping.normalize(m, 'memory'), `transaction ${i}: ${JSON.stringify(ops)}`).toEqual(mapping.normalize(r, 'real'));
    }
  } finally {
    real.stream.destroy();
    await server.close();
  }
});
