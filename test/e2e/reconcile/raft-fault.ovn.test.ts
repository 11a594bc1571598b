// Faults: the leader of a 3-member Raft cluster (ovsdb-server 3.1 on 127.0.0.1) is killed by pid
// while `reconcile` commits 20,000 rows in one transaction (keeping its cache, and one shot). The commit either lands whole or not
// at all (Raft log entry), the reconciler never resends blindly (it re-reads after the new leader
// is found and plans again), and a rerun converges with every row exactly once.
import { emptyNbRows } from '@ovn-nbgen/core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { OvsdbClient, Reconciler, ReconcileError, type ReconcilePhase } from '@ovn-nbgen/ovsdb';
import { startNbCluster, stopAllOvsdbServers, type NbCluster } from '../../harness/ovsdbServer.js';
import { syntheticRows } from './syntheticRows.js';

let cluster: NbCluster;

beforeAll(async () => {
  cluster = await startNbCluster({ size: 3 });
}, 60_000);

// Each case starts from an NB without the owner's rows.
beforeEach(async () => {
  const client = await connect();
  try {
    await (await Reconciler.start(client, { owner })).reconcile(emptyNbRows, { oneShot: true });
  } finally {
    await client.close();
  }
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  await stopAllOvsdbServers();
});

const owner = 'fault-test';
// 2,000 policies x (1 port group + 9 ACLs) = 20,000 rows.
const rows = syntheticRows({ owner, policies: 2000, aclsPerPolicy: 9 });

async function connect(): Promise<OvsdbClient> {
  return OvsdbClient.connect({ remote: cluster.remote, session: { probeIntervalMs: 0, requestTimeoutMs: 120_000 } });
}

/** Counts of our rows as a fresh select on the current leader sees them, and duplicate identities. */
async function census(): Promise<{ groups: number; acls: number; duplicateAcls: number }> {
  const client = await connect();
  try {
    const dump = await client.dump({ Port_Group: ['name', 'acls', 'external_ids'], ACL: ['external_ids'] });
    const ours = (r: Record<string, unknown>) => (r.external_ids as Record<string, string>)['nbgen/owner'] === owner;
    const groups = dump.Port_Group!.filter(ours);
    const aclGroup = new Map<string, string>();
    for (const g of groups) for (const a of g.acls as string[]) aclGroup.set(a, String(g.name));
    const identities = dump.ACL!.filter(ours).map((a) => `${aclGroup.get(String(a._uuid))} ${(a.external_ids as Record<string, string>)['nbgen/rule']}`);
    return { groups: groups.length, acls: identities.length, duplicateAcls: identities.length - new Set(identities).size };
  } finally {
    await client.close();
  }
}

// Both ways a full apply runs: keeping the cache (a controller), and one shot (`nbgen apply`: the
// monitor is dropped before the commit, so the retry must first start a new one on the new leader).
it.each([
  { mode: 'keeping the cache', oneShot: false },
  { mode: 'one shot', oneShot: true },
])('kills the leader during a 20k-row apply ($mode): the database holds before or after, and a rerun converges without duplicates', async ({ oneShot }) => {
  const leader = await cluster.leader();
  const client = await connect();
  const reconciler = await Reconciler.start(client, { owner, backoff: () => 200 });
  const phases: string[] = [];
  let killed: Promise<void> | undefined;
  const onProgress = (e: ReconcilePhase) => {
    phases.push(e.phase === 'retrying' ? `retrying (${e.error.code})` : e.phase === 'planned' ? `planned ${e.operations} ops` : e.phase);
    // Kill the leader while the first transaction is on its way / being executed.
    if (e.phase === 'planned' && e.operations > 0 && killed === undefined) {
      killed = new Promise((resolve) => setTimeout(resolve, 150)).then(() => cluster.kill(leader, 'SIGKILL'));
    }
  };
  let outcome: string;
  try {
    const result = await reconciler.reconcile(rows, { onProgress, oneShot });
    outcome = `resolved after ${result.attempts} attempt(s), committed by this call: ${result.committed}`;
  } catch (error) {
    // Allowed: a clear error, with the database before or after.
    expect(error).toBeInstanceOf(ReconcileError);
    outcome = `failed: ${(error as Error).message}`;
  }
  await killed;
  console.info(`leader ${leader} killed during apply: ${phases.join(' → ')}; ${outcome}`);
  expect(phases).toContain('retrying (OVSDB_CONNECTION_LOST)');

  const afterFault = await census();
  expect([0, 2000]).toContain(afterFault.groups);
  expect(afterFault.acls).toBe(afterFault.groups * 9);
  expect(afterFault.duplicateAcls).toBe(0);

  // A rerun converges: kept cache, the same reconciler resynced from the new leader; one shot, a new one.
  const again = oneShot ? await Reconciler.start(client, { owner, backoff: () => 200 }) : reconciler;
  const rerun = await again.reconcile(rows);
  expect(rerun.plan.updates).toEqual([]);
  expect(await census()).toEqual({ groups: 2000, acls: 18000, duplicateAcls: 0 });
  expect(again.plan(rows)).toMatchObject({ inserts: [], updates: [], deletes: [] });
  await again.close();
  await client.close();
  await cluster.restart(leader);
}, 300_000);
