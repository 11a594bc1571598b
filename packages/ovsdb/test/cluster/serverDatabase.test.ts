import { describe, expect, it } from 'vitest';
import { applyServerUpdate, checkServerDatabase, type ServerDatabaseTable } from '../../src/cluster/serverDatabase.js';

const NB = 'OVN_Northbound';
const leaderOnly = { database: NB, leaderOnly: true, minIndex: 0 };

/** The `initial` row update2 of a clustered NB member, as ovsdb-server 3.1 sends it (defaults omitted). */
function clusteredMember(columns: Record<string, unknown>): ServerDatabaseTable {
  const table: ServerDatabaseTable = new Map();
  applyServerUpdate(table, {
    Database: {
      'a0000000-0000-0000-0000-000000000001': {
        initial: { name: NB, model: 'clustered', schema: '{"name":"OVN_Northbound"}', cid: ['uuid', 'c1d1c1d1-0000-0000-0000-000000000001'], ...columns },
      },
      'a0000000-0000-0000-0000-000000000002': { initial: { name: '_Server', model: 'standalone', leader: true, connected: true, schema: '{}' } },
    },
  });
  return table;
}

describe('checkServerDatabase (ovsdb_cs_check_server_db__ rules)', () => {
  it('accepts the connected leader and a standalone server', () => {
    expect(checkServerDatabase(clusteredMember({ connected: true, leader: true, index: 7 }), leaderOnly)).toMatchObject({
      accepted: true,
      row: { model: 'clustered', leader: true, connected: true, index: 7, cid: 'c1d1c1d1-0000-0000-0000-000000000001' },
    });
    const standalone: ServerDatabaseTable = new Map();
    applyServerUpdate(standalone, { Database: { u1: { initial: { name: NB, model: 'standalone', connected: true, leader: true, schema: '{}' } } } });
    expect(checkServerDatabase(standalone, leaderOnly)).toMatchObject({ accepted: true });
  });

  it('refuses a follower in leader-only mode but accepts it otherwise', () => {
    // A follower's update2 omits leader (false is the default).
    const follower = clusteredMember({ connected: true, index: 7 });
    expect(checkServerDatabase(follower, leaderOnly)).toEqual({
      accepted: false,
      code: 'OVSDB_NOT_LEADER',
      reason: 'cluster member is not the leader',
    });
    expect(checkServerDatabase(follower, { ...leaderOnly, leaderOnly: false })).toMatchObject({ accepted: true });
  });

  it('refuses a member that has not joined, cannot reach a majority, or is behind what we saw', () => {
    expect(checkServerDatabase(clusteredMember({ connected: true, leader: true, schema: '' }), leaderOnly)).toMatchObject({
      accepted: false,
      reason: 'clustered database OVN_Northbound has not joined its cluster yet',
    });
    expect(checkServerDatabase(clusteredMember({ leader: true }), leaderOnly)).toMatchObject({
      accepted: false,
      reason: 'cluster member is not connected to a majority',
    });
    expect(checkServerDatabase(clusteredMember({ connected: true, leader: true, index: 5 }), { ...leaderOnly, minIndex: 9 })).toMatchObject({
      accepted: false,
      reason: 'cluster member is behind: log index 5 < 9 already seen',
    });
  });

  it('refuses a relay in leader-only mode, a missing database and another cluster id', () => {
    const relay: ServerDatabaseTable = new Map();
    applyServerUpdate(relay, { Database: { u1: { initial: { name: NB, model: 'relay', connected: true, schema: '{}' } } } });
    expect(checkServerDatabase(relay, leaderOnly)).toMatchObject({ accepted: false, code: 'OVSDB_NOT_LEADER' });
    expect(checkServerDatabase(relay, { ...leaderOnly, leaderOnly: false })).toMatchObject({ accepted: true });
    expect(checkServerDatabase(new Map(), leaderOnly)).toMatchObject({ accepted: false, reason: 'server does not host database OVN_Northbound' });
    expect(
      checkServerDatabase(clusteredMember({ connected: true, leader: true }), { ...leaderOnly, clusterId: 'c1d1c1d1-0000-0000-0000-000000000002' }),
    ).toMatchObject({ accepted: false });
  });

  it('applies modify (whole new values for 0..1 columns) and delete updates', () => {
    const table = clusteredMember({ connected: true, leader: true, index: 3 });
    applyServerUpdate(table, { Database: { 'a0000000-0000-0000-0000-000000000001': { modify: { leader: false, index: 4 } } } });
    expect(checkServerDatabase(table, leaderOnly)).toMatchObject({ accepted: false, code: 'OVSDB_NOT_LEADER' });
    applyServerUpdate(table, { Database: { 'a0000000-0000-0000-0000-000000000001': { modify: { leader: true, index: ['set', []] } } } });
    expect(checkServerDatabase(table, leaderOnly)).toMatchObject({ accepted: true, row: { index: undefined } });
    applyServerUpdate(table, { Database: { 'a0000000-0000-0000-0000-000000000001': { delete: null } } });
    expect(checkServerDatabase(table, leaderOnly)).toMatchObject({ accepted: false });
  });
});
