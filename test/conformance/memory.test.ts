/**
 * The conformance suite against the in-memory NB: once on in-process streams, once through the
 * ordinary reconnecting session on a unix socket (what `nbgen` uses against a real NB).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { MemoryOvsdbServer, OvsdbClient } from '@ovn-nbgen/ovsdb';
import { conformanceSuite } from './suite.js';

describe('in-memory NB, in-process streams', () => {
  conformanceSuite(async () => {
    const server = MemoryOvsdbServer.ovnNorthbound();
    return { name: 'memory', connect: () => server.connectClient(), close: () => server.close() };
  });
});

describe('in-memory NB, unix socket and OvsdbSession', () => {
  conformanceSuite(async () => {
    const server = MemoryOvsdbServer.ovnNorthbound();
    const dir = await mkdtemp(join(tmpdir(), 'nbgen-memnb-'));
    const remote = await server.listen({ unix: join(dir, 'nb.sock') });
    return {
      name: 'memory-unix',
      connect: () => OvsdbClient.connect({ remote, session: { probeIntervalMs: 0 } }),
      close: async () => {
        await server.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
});
