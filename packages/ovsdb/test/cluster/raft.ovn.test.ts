/**
 * The session against a real 3-member Raft cluster of OVN NB (ovsdb-server 3.1 on 127.0.0.1):
 * leader-only acceptance from `_Server`, following a leadership transfer, and a leader killed by
 * pid in the middle of a stream of writes.
 */
import { describe, expect, it } from 'vitest';
import { nbClusterPerFile } from '../../../../test/harness/ovsdbServerPerFile.js';
import { OvsdbError } from '../../src/index.js';
import { sessionsClosedAfterAll } from '../session/openSessions.js';
import type { OvsdbSession } from '../../src/subpaths/session.js';

const cluster = nbClusterPerFile(3);
const open = sessionsClosedAfterAll();

type Outcome = { readonly name: string } & ({ readonly kind: 'ok'; readonly uuid: string } | { readonly kind: string });

/** A raw insert of one Address_Set through `request`, classified by how it ended. */
async function write(channel: OvsdbSession, name: string): Promise<Outcome> {
  try {
    const result = await channel.request<Array<{ uuid?: [string, string]; error?: string; details?: string }>>(
      'transact',
      ['OVN_Northbound', { op: 'insert', table: 'Address_Set', row: { name, addresses: ['set', ['192.0.2.1']] } }],
      { timeoutMs: 15_000 },
    );
    const uuid = result.length === 1 ? result[0]?.uuid?.[1] : undefined;
    return uuid === undefined ? { name, kind: `result ${JSON.stringify(result)}` } : { name, kind: 'ok', uuid };
  } catch (error) {
    return { name, kind: error instanceof OvsdbError ? error.code : String(error) };
  }
}

/** Writes names `${prefix}<n>` with `parallel` writers until `count` writes have ended. */
async function writeStream(
  channel: OvsdbSession,
  prefix: string,
  count: number,
  parallel: number,
  onProgress: (done: number) => void,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const writer = async (): Promise<void> => {
    while (next < count) {
      const name = `${prefix}${String(next++).padStart(4, '0')}`;
      outcomes.push(await write(channel, name));
      onProgress(outcomes.length);
    }
  };
  await Promise.all(Array.from({ length: parallel }, writer));
  return outcomes;
}

async function addressSetsNamed(channel: OvsdbSession, prefix: string): Promise<Map<string, string[]>> {
  const [select] = await channel.request<Array<{ rows: Array<{ _uuid: [string, string]; name: string }> }>>('transact', [
    'OVN_Northbound',
    { op: 'select', table: 'Address_Set', where: [], columns: ['_uuid', 'name'] },
  ]);
  const byName = new Map<string, string[]>();
  for (const row of select!.rows.filter((candidate) => candidate.name.startsWith(prefix))) {
    byName.set(row.name, [...(byName.get(row.name) ?? []), row._uuid[1]]);
  }
  return byName;
}

describe('leader-only acceptance', () => {
  it('refuses a follower given alone and moves on when other remotes are given', async () => {
    const leader = await cluster().leader();
    const follower = (leader + 1) % 3;
    const alone = open(cluster().members[follower]!.remote, { maxConnectAttempts: 2, backoff: () => 100 });
    const failures: string[] = [];
    alone.on('attemptFailed', ({ error }) => failures.push(`${error.code}: ${error.message}`));
    const error = await alone.request('list_dbs', []).catch((reason: unknown) => reason as OvsdbError);
    expect((error as OvsdbError).code).toBe('OVSDB_CONNECT_FAILED');
    const notLeader = `OVSDB_NOT_LEADER: ${cluster().members[follower]!.remote}: cluster member is not the leader`;
    expect(failures).toEqual([notLeader, notLeader]);

    const followerFirst = open(`${cluster().members[follower]!.remote},${cluster().members[leader]!.remote}`, { shuffleRemotes: false });
    expect(await followerFirst.request('list_dbs', [])).toEqual(['OVN_Northbound', '_Server']);
    expect(followerFirst.currentRemote).toBe(cluster().members[leader]!.remote);
    expect(followerFirst.server).toMatchObject({ model: 'clustered', leader: true, connected: true });
  });

  it('uses a follower when leaderOnly is false (writes are forwarded to the leader)', async () => {
    const leader = await cluster().leader();
    const follower = (leader + 2) % 3;
    const channel = open(cluster().members[follower]!.remote, { leaderOnly: false });
    expect(await write(channel, 'as_via_follower')).toMatchObject({ kind: 'ok' });
    expect(channel.server).toMatchObject({ model: 'clustered', leader: false });
  });
});

describe('following the leader', () => {
  it('leaves the member as soon as _Server says it lost leadership, and goes on writing to the new leader', async () => {
    const oldLeader = await cluster().leader();
    const channel = open(cluster().remote);
    const lost: string[] = [];
    channel.on('lost', ({ error }) => lost.push(error.message));
    await channel.request('list_dbs', []);
    // Make sure we sit on the leader, then have it hand leadership over while staying up.
    expect(channel.currentRemote).toBe(cluster().members[oldLeader]!.remote);
    await cluster().transferLeadership(oldLeader);
    const newLeader = await cluster().leader({ excluding: [oldLeader] });

    // The old leader announces the change in its _Server row; the session leaves it for another member.
    for (let waited = 0; lost.length === 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await write(channel, 'as_after_transfer')).toMatchObject({ kind: 'ok' });
    expect(lost).toEqual([`${cluster().members[oldLeader]!.remote}: cluster member is not the leader; moving to another remote`]);
    expect(channel.currentRemote).toBe(cluster().members[newLeader]!.remote);
  });

  it('survives the leader being killed during a stream of writes: no write re-sent, every acknowledged row exactly once', async () => {
    const oldLeader = await cluster().leader();
    const channel = open(cluster().remote, { requestTimeoutMs: 15_000 });
    const generations: number[] = [];
    channel.onConnected(({ generation }) => void generations.push(generation));
    await channel.request('list_dbs', []);
    expect(channel.currentRemote).toBe(cluster().members[oldLeader]!.remote);
    const firstGeneration = generations.at(-1)!;

    let killed: Promise<void> | undefined;
    const outcomes = await writeStream(channel, 'as_stream_', 300, 4, (done) => {
      if (done === 60 && killed === undefined) killed = cluster().kill(oldLeader, 'SIGKILL');
    });
    await killed;
    const newLeader = await cluster().leader({ excluding: [oldLeader] });

    const kinds = new Map<string, number>();
    for (const outcome of outcomes) kinds.set(outcome.kind === 'ok' ? 'ok' : outcome.kind, (kinds.get(outcome.kind) ?? 0) + 1);
    // Every write either succeeded or failed because the connection went away or its deadline passed.
    expect([...kinds.keys()].filter((kind) => !['ok', 'OVSDB_CONNECTION_LOST', 'OVSDB_TIMEOUT'].includes(kind))).toEqual([]);
    expect(kinds.get('ok')!).toBeGreaterThan(250);
    expect(kinds.get('OVSDB_CONNECTION_LOST') ?? 0).toBeLessThanOrEqual(4); // at most the writes in flight at the kill

    // The database, read from the new leader: each acknowledged row once with the acknowledged uuid,
    // each write that ended without an answer at most once (it may have committed), nothing else.
    const rows = await addressSetsNamed(channel, 'as_stream_');
    for (const outcome of outcomes) {
      const found = rows.get(outcome.name) ?? [];
      if ('uuid' in outcome) expect(found, outcome.name).toEqual([outcome.uuid]);
      else expect(found.length, outcome.name).toBeLessThanOrEqual(1);
    }
    expect([...rows.keys()].every((name) => outcomes.some((outcome) => outcome.name === name))).toBe(true);

    expect(channel.currentRemote).toBe(cluster().members[newLeader]!.remote);
    expect(generations.at(-1)!).toBeGreaterThan(firstGeneration);
    await cluster().restart(oldLeader);
  });
});
