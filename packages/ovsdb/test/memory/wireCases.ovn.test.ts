/** Unusual requests (wireCases.ts) replayed on ovsdb-server and the in-memory NB: same replies. */
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryOvsdbServer } from '../../src/memory/index.js';
import { startStandaloneNb, stopAllOvsdbServers, type StandaloneNb } from '../../../../test/harness/ovsdbServer.js';
import { UuidMapping } from './normalize.js';
import { RawPeer } from './rawPeer.js';
import { WIRE_CASES } from './wireCases.js';

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
      const what = `${method} ${JSON.stringify(params)}`;
      expect(waitedMs(m, params), what).toEqual(waitedMs(r, params));
      expect(mapping.normalize(withoutWaitedMs(m), 'memory'), what).toEqual(mapping.normalize(withoutWaitedMs(r), 'real'));
    }
  } finally {
    real.stream.destroy();
    await server.close();
  }
});

// A timed-out `wait` reports how long it actually waited ("\"wait\" timed out after 101 ms"): a
// measurement, different from run to run on either server. Both must have waited at least the
// requested timeout; the rest of the reply is compared exactly.
const WAITED = /timed out after (\d+) ms/;

function waitedMs(reply: unknown, params: readonly unknown[]): 'at least the timeout' | 'too short' | 'none' {
  const match = WAITED.exec(JSON.stringify(reply));
  if (!match) return 'none';
  const timeout = params.reduce<number>((t, op) => Math.max(t, (op as { timeout?: number })?.timeout ?? 0), 0);
  return Number(match[1]) >= timeout ? 'at least the timeout' : 'too short';
}

function withoutWaitedMs(reply: unknown): unknown {
  return JSON.parse(JSON.stringify(reply).replace(WAITED, 'timed out after <elapsed> ms'));
}
