/**
 * The session against a real standalone ovsdb-server 3.1 (OVN NB schema) on unix and tcp.
 */
import { describe, expect, it } from 'vitest';
import { standaloneNbPerFile } from '../../../../test/harness/ovsdbServerPerFile.js';
import { OvsdbError } from '../../src/index.js';
import { sessionsClosedAfterAll } from './openSessions.js';
import type { OvsdbSession } from '../../src/subpaths/session.js';

const { nb } = standaloneNbPerFile(() => ({ unix: true, tcp: true, tcp6: true }));
const open = sessionsClosedAfterAll();

type TransactResult = Array<{ uuid?: [string, string]; rows?: unknown[]; error?: string }>;

async function insertAddressSet(channel: OvsdbSession, name: string): Promise<string> {
  const result = await channel.request<TransactResult>('transact', [
    'OVN_Northbound',
    { op: 'insert', table: 'Address_Set', row: { name, addresses: ['set', ['10.1.0.1', '10.1.0.2']] } },
  ]);
  expect(result).toHaveLength(1);
  return result[0]!.uuid![1];
}

async function selectAddressSet(channel: OvsdbSession, name: string): Promise<unknown[]> {
  const [select] = await channel.request<TransactResult>('transact', [
    'OVN_Northbound',
    { op: 'select', table: 'Address_Set', where: [['name', '==', name]], columns: ['_uuid', 'name', 'addresses'] },
  ]);
  return select!.rows!;
}

describe.each(['unix', 'tcp', 'tcp6'] as const)('standalone NB over %s', (kind) => {
  it('is accepted as standalone, lists databases and commits a transaction', async () => {
    const channel = open(nb().remotes[kind]!);
    const connected: unknown[] = [];
    channel.onConnected((event) => void connected.push(event));
    expect(await channel.request('list_dbs', [])).toEqual(['OVN_Northbound', '_Server']);
    expect(connected).toEqual([{ remote: nb().remotes[kind], generation: 1 }]);
    expect(channel.server).toMatchObject({ name: 'OVN_Northbound', model: 'standalone', leader: true, connected: true });
    expect(JSON.parse(channel.server!.schema)).toMatchObject({ name: 'OVN_Northbound' });

    const uuid = await insertAddressSet(channel, `as_${kind}`);
    expect(await selectAddressSet(channel, `as_${kind}`)).toEqual([
      { _uuid: ['uuid', uuid], name: `as_${kind}`, addresses: ['set', ['10.1.0.1', '10.1.0.2']] },
    ]);
  });

  it('rejects what the server refuses with OVSDB_RPC_ERROR, keeping the server error', async () => {
    const channel = open(nb().remotes[kind]!);
    const outcomes = await Promise.allSettled([
      channel.request('transact', ['Nope']),
      channel.request('no_such_method', []),
    ]);
    expect(
      outcomes.map((outcome) => {
        const error = (outcome as PromiseRejectedResult).reason as OvsdbError;
        return [error.code, error.message, error.details.serverError];
      }),
    ).toEqual([
      ['OVSDB_RPC_ERROR', 'transact: unknown database: transact request specifies unknown database Nope', 'unknown database'],
      ['OVSDB_RPC_ERROR', 'no_such_method: unknown method', 'unknown method'],
    ]);
    // The session survived both errors.
    expect(await channel.request('echo', ['still here'])).toEqual(['still here']);
  });
});

describe('message size limit', () => {
  it('drops the connection on a reply larger than maxMessageBytes, then carries on with small ones', async () => {
    // The limit must leave room for the _Server row, which carries the NB schema as a string (~16 KB).
    const channel = open(nb().remotes.unix!, { maxMessageBytes: 24_000, backoff: () => 50 });
    const lost: string[] = [];
    channel.on('lost', ({ error }) => lost.push(error.code));
    await channel.request('list_dbs', []);
    // The server echoes params back: a 30 KB reply.
    const error = (await channel.request('echo', ['x'.repeat(30_000)]).then(
      () => undefined,
      (reason: unknown) => reason,
    )) as OvsdbError;
    expect([error.code, (error.details.cause as OvsdbError).code]).toEqual(['OVSDB_CONNECTION_LOST', 'OVSDB_MESSAGE_TOO_LARGE']);
    expect(lost).toEqual(['OVSDB_MESSAGE_TOO_LARGE']);
    expect(await channel.request('list_dbs', [])).toEqual(['OVN_Northbound', '_Server']);
  });
});

describe('keepalive against the real server', () => {
  it('answers the server probe on tcp, probes the server itself, and stays up through 12 s of idleness', async () => {
    // `answering` relies on the server's probe (ours off). `probing` probes every 3 s of silence,
    // so the server (5 s) always hears from it first and never needs to probe it.
    const answering = open(nb().remotes.tcp!, { probeIntervalMs: 0 });
    const probing = open(nb().remotes.tcp!, { probeIntervalMs: 3000 });
    const seen = { answering: { serverEchoes: 0, ourProbes: 0 }, probing: { serverEchoes: 0, ourProbes: 0 }, lost: [] as string[] };
    for (const [name, channel] of [['answering', answering], ['probing', probing]] as const) {
      channel.on('serverEcho', () => seen[name].serverEchoes++);
      channel.on('probeSent', () => seen[name].ourProbes++);
      channel.on('lost', ({ error }) => seen.lost.push(error.message));
    }
    await Promise.all([answering.request('list_dbs', []), probing.request('list_dbs', [])]);

    await new Promise((resolve) => setTimeout(resolve, 12_000));

    // ovsdb-server probes a silent client after 5 s (t≈5 s and ≈10 s); our probes come at ≈3, 6, 9 s.
    expect(seen.answering).toEqual({ serverEchoes: 2, ourProbes: 0 });
    expect(seen.probing.serverEchoes).toBe(0);
    expect(seen.probing.ourProbes).toBeGreaterThanOrEqual(3);
    expect(seen.lost).toEqual([]);
    expect([answering.isConnected, probing.isConnected]).toEqual([true, true]);
    expect(await answering.request('list_dbs', [])).toEqual(['OVN_Northbound', '_Server']);
  });
});

describe('server restart', () => {
  it('reconnects to the restarted server on the same socket and fires onConnected again', async () => {
    const channel = open(nb().remotes.unix!, { backoff: () => 200 });
    const generations: number[] = [];
    const disconnects: string[] = [];
    channel.onConnected(({ generation }) => void generations.push(generation));
    channel.onDisconnected((error) => disconnects.push((error as OvsdbError).code));
    const before = await insertAddressSet(channel, 'as_before_restart');

    await nb().kill('SIGKILL');
    // Made while the server is down: waits for the next accepted connection.
    const whileDown = channel.request<unknown[]>('transact', [
      'OVN_Northbound',
      { op: 'select', table: 'Address_Set', where: [['name', '==', 'as_before_restart']], columns: ['_uuid'] },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(channel.isConnected).toBe(false);
    await nb().restart();

    expect(await whileDown).toEqual([{ rows: [{ _uuid: ['uuid', before] }] }]);
    expect(generations).toEqual([1, 2]);
    expect(disconnects).toEqual(['OVSDB_CONNECTION_LOST']);
  });
});
