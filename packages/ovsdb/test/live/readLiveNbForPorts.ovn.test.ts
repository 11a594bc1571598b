// explain --db's focused read against a real ovsdb-server: the layout, then only the ACLs that can
// apply to the flow's ports. Every ACL that may match (unbound, bound to those ports, bound to
// them from another group) is read with its owner and the groups and sets it names; rows bound to
// other ports are not. Nothing but selects reaches the server.
import { beforeAll, describe, expect, it } from 'vitest';
import { OvsdbClient, readLiveNb, type LiveNb } from '../../src/index.js';
import { readLiveLayout, readLiveNbForPorts, switchAclGroup } from '../../src/subpaths/live.js';
import { connectChannel } from '../../src/subpaths/session.js';
import { recording } from './recordingChannel.js';
import { run } from '../../../../test/harness/ovsdbServer.js';
import { standaloneNbPerFile } from '../../../../test/harness/ovsdbServerPerFile.js';

const { nb, nbctl } = standaloneNbPerFile();

const acls = (live: LiveNb) => live.rows.acls.map((a) => `${a.portGroup} ${a.direction} ${a.priority} ${a.match}`).sort();

beforeAll(async () => {
  await nbctl('ls-add', 'sw');
  for (const [port, ip] of [['p1', '10.0.0.1'], ['p2', '10.0.0.2'], ['p3', '10.0.0.3']]) {
    await nbctl('lsp-add', 'sw', port!, '--', 'lsp-set-addresses', port!, `0a:00:00:00:00:0${port!.slice(1)} ${ip}`);
  }
  for (const [group, ports] of [['a', ['p1']], ['b', ['p2']], ['c', ['p3']], ['empty', []]] as const) {
    await nbctl('pg-add', group, ...ports);
  }
  await nbctl('create', 'Address_Set', 'name=as1', 'addresses="10.9.0.0/16"');
  await nbctl('create', 'Address_Set', 'name=unused', 'addresses="10.8.0.0/16"');
  await nbctl('acl-add', 'a', 'to-lport', '1000', 'outport == @a && ip', 'drop');
  await nbctl('acl-add', 'a', 'to-lport', '1005', 'outport == @a && ip4.src == $as1 && ip4.src != $b_ip4', 'allow');
  await nbctl('acl-add', 'b', 'from-lport', '1001', 'inport == @b && ip4.dst == $unused', 'drop');
  await nbctl('acl-add', 'b', 'to-lport', '1002', 'ip4.dst == 10.0.0.1 && tcp', 'allow');
  await nbctl('acl-add', 'b', 'to-lport', '1003', 'outport == "p1" && udp', 'allow');
  await nbctl('acl-add', 'c', 'to-lport', '1004', 'outport == @a && tcp.dst == 22', 'reject');
  await nbctl('acl-add', 'empty', 'to-lport', '1006', 'ip4.src == $as1', 'drop');
  await nbctl('acl-add', 'sw', 'to-lport', '900', 'ip4.dst == 10.0.0.3', 'allow');
  await nbctl('acl-add', 'sw', 'from-lport', '901', 'inport == "p3" && ip', 'drop');
}, 60_000);

describe('readLiveNbForPorts on a real ovsdb-server', () => {
  it('reads every ACL that may apply to the ports (unbound, bound to them, bound to them from another group), not those bound elsewhere', async () => {
    const sent: { method: string; params: readonly unknown[] }[] = [];
    const client = await OvsdbClient.connect({ channel: recording(connectChannel({ remote: nb().remotes.unix!, database: 'OVN_Northbound' }), sent) });
    const before = await run('ovsdb-client', ['dump', nb().remotes.unix!, 'OVN_Northbound']);
    let focused: LiveNb;
    let full: LiveNb;
    try {
      const layout = await readLiveLayout(client);
      expect(layout.live.rows.acls).toEqual([]);
      expect(layout.live.ports.map((p) => [p.name, p.ips])).toEqual([['p1', ['10.0.0.1']], ['p2', ['10.0.0.2']], ['p3', ['10.0.0.3']]]);
      focused = await readLiveNbForPorts(client, layout, ['p1', '(router port)']);
      full = await readLiveNb(client);
    } finally {
      await client.close();
    }
    // Read-only: transactions made of selects only; nothing else but the handshake.
    expect(new Set(sent.map((s) => s.method))).toEqual(new Set(['get_schema', 'set_db_change_aware', 'transact']));
    const ops = sent.filter((s) => s.method === 'transact').flatMap((s) => s.params.slice(1) as { op: string }[]);
    expect(new Set(ops.map((o) => o.op))).toEqual(new Set(['select']));
    expect(await run('ovsdb-client', ['dump', nb().remotes.unix!, 'OVN_Northbound'])).toBe(before);

    expect(acls(focused)).toEqual([
      `${switchAclGroup('sw')} to-lport 900 ip4.dst == 10.0.0.3`,
      'a to-lport 1000 outport == @a && ip',
      'a to-lport 1005 outport == @a && ip4.src == $as1 && ip4.src != $b_ip4',
      'b to-lport 1002 ip4.dst == 10.0.0.1 && tcp',
      'b to-lport 1003 outport == "p1" && udp',
      'c to-lport 1004 outport == @a && tcp.dst == 22',
      'empty to-lport 1006 ip4.src == $as1',
    ]);
    // Every row read is the full read's row, whole.
    for (const acl of focused.rows.acls) expect(full.rows.acls).toContainEqual(acl);
    expect(acls(full).filter((a) => !acls(focused).includes(a))).toEqual([`${switchAclGroup('sw')} from-lport 901 inport == "p3" && ip`, 'b from-lport 1001 inport == @b && ip4.dst == $unused']);
    // The groups that own those rows or that they name (b through $b_ip4), with their ports.
    expect(focused.rows.portGroups.map((g) => [g.name, g.ports])).toEqual([
      [switchAclGroup('sw'), ['p1', 'p2', 'p3']],
      ['a', ['p1']],
      ['b', ['p2']],
      ['c', ['p3']],
      ['empty', []],
    ]);
    expect(focused.rows.addressSets.map((s) => s.name)).toEqual(['as1']);
    expect(focused.ports).toEqual(full.ports);
    expect(focused.loadBalancers).toEqual(full.loadBalancers);
  });
});
