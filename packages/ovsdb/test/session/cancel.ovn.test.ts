/**
 * Cancelling a parked transaction on a real ovsdb-server: the `cancel` notification must reach the
 * server, or the transaction would commit later, behind the caller's back, when its `wait` holds.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStandaloneNb, stopAllOvsdbServers, type StandaloneNb } from '../../../../test/harness/ovsdbServer.js';
import { OvsdbError } from '../../src/index.js';
import { connectChannel, type OvsdbSession } from '../../src/subpaths/session.js';

let nb: StandaloneNb;
let session: OvsdbSession;

beforeAll(async () => {
  nb = await startStandaloneNb({ unix: true });
  session = connectChannel({ remote: nb.remotes.unix! });
});

afterAll(async () => {
  await session?.close();
  await nb?.stop();
  await stopAllOvsdbServers();
});

const names = async (): Promise<string[]> => {
  const [select] = await session.request<Array<{ rows: Array<{ name: string }> }>>('transact', [
    'OVN_Northbound',
    { op: 'select', table: 'Address_Set', where: [], columns: ['name'] },
  ]);
  return select!.rows.map((r) => r.name).sort();
};

const insert = (name: string) => ({ op: 'insert', table: 'Address_Set', row: { name } });
// Parks (no timeout) until an Address_Set named `gate` exists, then inserts `name`.
const parked = (name: string) => [
  'OVN_Northbound',
  { op: 'wait', table: 'Address_Set', where: [['name', '==', 'gate']], columns: ['name'], until: '==', rows: [{ name: 'gate' }] },
  insert(name),
];

it('a parked transaction that is not cancelled commits once its wait holds (the control)', async () => {
  const pending = session.request('transact', parked('control'));
  await new Promise((r) => setTimeout(r, 200));
  expect(await names()).toEqual([]);
  await session.request('transact', ['OVN_Northbound', insert('gate')]);
  await pending;
  expect(await names()).toEqual(['control', 'gate']);
  await session.request('transact', ['OVN_Northbound', { op: 'delete', table: 'Address_Set', where: [] }]);
});

it('an aborted transaction is rejected at once and cancelled on the server: it never commits', async () => {
  const controller = new AbortController();
  const pending = session.request('transact', parked('cancelled'), { signal: controller.signal });
  await new Promise((r) => setTimeout(r, 200));
  controller.abort();
  const error = await pending.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OvsdbError);
  expect(error).toMatchObject({ code: 'OVSDB_RPC_ERROR', details: { serverError: 'canceled' } });
  await session.request('transact', ['OVN_Northbound', insert('gate')]);
  await new Promise((r) => setTimeout(r, 300));
  expect(await names()).toEqual(['gate']);
});

it('a request aborted before it is made is never sent', async () => {
  const controller = new AbortController();
  controller.abort();
  const error = await session.request('transact', ['OVN_Northbound', insert('never')], { signal: controller.signal }).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'OVSDB_RPC_ERROR' });
  expect(await names()).toEqual(['gate']);
});
