/** The conformance suite against a real standalone ovsdb-server 3.1 with the installed NB schema. */
import { describe } from 'vitest';
import { OvsdbClient } from '@ovn-nbgen/ovsdb';
import { startStandaloneNb, stopAllOvsdbServers } from '../harness/ovsdbServer.js';
import { conformanceSuite } from './suite.js';

describe('ovsdb-server 3.1 (standalone NB)', () => {
  conformanceSuite(async () => {
    const nb = await startStandaloneNb();
    return {
      name: 'ovsdb-server',
      connect: () => OvsdbClient.connect({ remote: nb.remotes.unix, session: { probeIntervalMs: 0 } }),
      close: async () => {
        await nb.stop();
        await stopAllOvsdbServers();
      },
    };
  });
});
