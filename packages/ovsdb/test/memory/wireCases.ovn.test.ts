/** Unusual requests (wireCases.ts) replayed on ovsdb-server and the in-memory NB: same replies. */
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryOvsdbServer } from '../../src/memory/index';
import { startStandaloneNb, stopAllOvsdbServers, type StandaloneNb } from '../../../../test/harness/ovsdbServer';
import { UuidMapping } from './normalize';
import { RawPeer } from './rawPeer';
import { WIRE_CASES } from './wireCases';

let nb: StandaloneNb;
beforeAll(async () => {
  nb = await startStandaloneNb();
});
afterAll(async () => {
  await nb?.stop();
  await stopAllOvsdbServers();
});

it('answers unusual requests exactly like ovsdb-server', async () => {
  const real = new RawPeer(connect((nb.remotes.unix as string).slice('unix:'.length)));
  const server = MemoryOvsdbServer.ovnNorthbound();
  const memory = new RawPeer(server.connect());
  const mapping = new UuidMapping();
  try {
    for (const [i, [method, params]] of WIRE_CASES.entries()) {
      const r = await real.request(method, [...params], i);
      const m = await memory.request(method, [...params], i);
      mapping.learn(m.result, r.result);
      expect(mapping.normalize(m, 'memory'), `${method} ${JSON.stringify(params)}`).toEqual(mapping.normalize(r, 'real'));
    }
  } finally {
    real.stream.destroy();
    await server.close();
  }
});
