/**
 * `monitor_cond_since` on the clustered in-memory NB against a real 3-member Raft NB: the same
 * transactions, then resumes from recorded transaction ids. Whether a resume is found (history
 * bounded by 100 transactions and by the database's own atom count) and what it carries must
 * agree, UUIDs mapped.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryOvsdbServer } from '../../src/memory/index.js';
import { startNbCluster, stopAllOvsdbServers, type NbCluster } from '../../../../test/harness/ovsdbServer.js';
import { UuidMapping } from './normalize.js';
import { RawPeer } from './rawPeer.js';

const ZERO = '00000000-0000-0000-0000-000000000000';
let cluster: NbCluster;

beforeAll(async () => {
  cluster = await startNbCluster({ size: 3 });
});
afterAll(async () => {
  await cluster?.stop();
  await stopAllOvsdbServers();
});

type Step = { readonly transact: unknown[] } | { readonly resumeFrom: number };
const request = { Address_Set: [{ columns: ['name', 'addresses'] }], Port_Group: [{ columns: ['name'] }] };
const insertAs = (name: string, n = 0) => ({
  op: 'insert',
  table: 'Address_Set',
  row: { name, addresses: ['set', Array.from({ length: n }, (_, i) => `10.${n}.${i >> 8}.${i & 255}`)] },
});

/**
 * Mark = take the transaction id the server reports now (a fresh monitor_cond_since); resumeFrom
 * k = resume from the k-th mark. The history holds no more atoms than the database: the big
 * insert is forgotten as soon as later transactions outweigh what the database holds besides it,
 * and with it every id before it.
 */
const SCENARIO: readonly (Step | 'mark')[] = [
  { transact: [insertAs('tiny')] },
  'mark',
  { transact: [insertAs('tiny2')] },
  { transact: [{ op: 'insert', table: 'Port_Group', row: { name: 'pg1' } }] },
  { resumeFrom: 0 },
  { transact: Array.from({ length: 40 }, (_, i) => insertAs(`big${i}`, 20)) },
  { transact: [{ op: 'insert', table: 'Port_Group', row: { name: 'pg2' } }] },
  'mark',
  { transact: [{ op: 'mutate', table: 'Address_Set', where: [['name', '==', 'big3']], mutations: [['addresses', 'insert', '192.168.0.1']] }] },
  { transact: [{ op: 'delete', table: 'Port_Group', where: [] }, insertAs('late')] },
  { resumeFrom: 1 },
  { resumeFrom: 0 },
];

async function run(peer: RawPeer, db: string): Promise<unknown[]> {
  const out: unknown[] = [];
  const marks: string[] = [];
  let monitors = 0;
  for (const step of SCENARIO) {
    if (step === 'mark') {
      const reply = (await peer.request('monitor_cond_since', [db, `mark${monitors++}`, request, ZERO])).result as [boolean, string];
      marks.push(reply[1]);
    } else if ('transact' in step) {
      out.push((await peer.request('transact', [db, ...step.transact])).result);
    } else {
      const reply = (await peer.request('monitor_cond_since', [db, `resume${monitors++}`, request, marks[step.resumeFrom]])).result as [boolean, string, unknown];
      out.push({ found: reply[0], updates: reply[0] ? reply[2] : '<full dump>' });
    }
  }
  return out;
}

it('resumes monitor_cond_since when and as a Raft NB does', async () => {
  const leader = cluster.members[await cluster.leader()]!;
  const [host, port] = leader.remote.slice('tcp:'.length).split(':') as [string, string];
  const real = new RawPeer(connect(Number(port), host));
  const server = MemoryOvsdbServer.ovnNorthbound({ model: 'clustered' });
  const memory = new RawPeer(server.connect());
  try {
    const realOut = await run(real, 'OVN_Northbound');
    const memoryOut = await run(memory, 'OVN_Northbound');
    const mapping = new UuidMapping();
    realOut.forEach((r, i) => mapping.learn(memoryOut[i], r));
    expect(mapping.normalize(memoryOut, 'memory')).toEqual(mapping.normalize(realOut, 'real'));
    expect(realOut.filter((o) => (o as { found?: boolean }).found !== undefined).map((o) => (o as { found: boolean }).found)).toEqual([true, true, false]);
  } finally {
    real.stream.destroy();
    await server.close();
  }
});
