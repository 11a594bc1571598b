// The live NB reader against a real ovsdb-server: what it reads (ACLs of port groups and of
// switches, ports' addresses, address sets, load balancers on the switch directly and through a
// load-balancer group), and that nothing but reads reaches the server.
import { beforeAll, describe, expect, it } from 'vitest';
import { OvsdbClient, readLiveNb } from '../../src/index.js';
import { switchAclGroup } from '../../src/subpaths/live.js';
import { connectChannel } from '../../src/subpaths/session.js';
import { recording } from './recordingChannel.js';
import { run } from '../../../../test/harness/ovsdbServer.js';
import { standaloneNbPerFile } from '../../../../test/harness/ovsdbServerPerFile.js';

const { nb, nbctl } = standaloneNbPerFile();

beforeAll(async () => {
  await nbctl('ls-add', 'ovn-default', '--', 'ls-add', 'other');
  await nbctl('lsp-add', 'ovn-default', 'web.shop', '--', 'lsp-set-addresses', 'web.shop', '0a:00:00:00:00:01 10.16.0.10 fd00:10:16::10');
  await nbctl('lsp-add', 'ovn-default', 'client.shop', '--', 'lsp-set-addresses', 'client.shop', '0a:00:00:00:00:02 10.16.0.11');
  await nbctl('lsp-add', 'ovn-default', 'ovn-default-ovn-cluster', '--', 'lsp-set-type', 'ovn-default-ovn-cluster', 'router', '--', 'lsp-set-addresses', 'ovn-default-ovn-cluster', 'router');
  await nbctl('--', '--id=@pg', 'create', 'Port_Group', 'name=web.shop', 'external_ids:np=shop/web');
  await nbctl('pg-set-ports', 'web.shop', 'web.shop');
  await nbctl('acl-add', 'web.shop', 'to-lport', '2000', 'outport == @web.shop && ip', 'drop');
  await nbctl('--apply-after-lb', 'acl-add', 'web.shop', 'from-lport', '2001', 'inport == @web.shop && ip4.dst == $allow.v4', 'allow-related');
  await nbctl('acl-add', 'ovn-default', 'to-lport', '1000', 'ip4.dst == 10.16.0.0/16', 'allow');
  await nbctl('create', 'Address_Set', 'name=allow.v4', 'addresses="10.16.0.11","10.17.0.0/16"');
  await nbctl('lb-add', 'svc-tcp', '10.96.0.10:80', '10.16.0.10:8080', 'tcp', '--', 'ls-lb-add', 'ovn-default', 'svc-tcp');
  await nbctl('lb-add', 'svc-grouped', '10.96.0.11:53', '10.16.0.10:5353', 'udp');
  await nbctl('lb-add', 'svc-unattached', '10.96.0.12:80', '10.16.0.11:80');
  const lb = (await nbctl('--bare', '--columns=_uuid', 'find', 'Load_Balancer', 'name=svc-grouped')).trim();
  const group = (await nbctl('create', 'Load_Balancer_Group', 'name=cluster-lbs', `load_balancer=${lb}`)).trim();
  await nbctl('add', 'Logical_Switch', 'ovn-default', 'load_balancer_group', group);
}, 60_000);

describe('readLiveNb on a real ovsdb-server', () => {
  it('reads port-group and switch ACLs, addresses, address sets and the switch load balancers, sending only selects', async () => {
    const sent: { method: string; params: readonly unknown[] }[] = [];
    const channel = recording(connectChannel({ remote: nb().remotes.unix!, database: 'OVN_Northbound' }), sent);
    const client = await OvsdbClient.connect({ channel });
    const before = await run('ovsdb-client', ['dump', nb().remotes.unix!, 'OVN_Northbound']);
    let live;
    try {
      live = await readLiveNb(client);
    } finally {
      await client.close();
    }
    // Read-only: the only transact is one made of selects; nothing else but the handshake.
    const transacts = sent.filter((s) => s.method === 'transact');
    expect(transacts).toHaveLength(1);
    const ops = transacts[0]!.params.slice(1) as { op: string }[];
    expect(new Set(ops.map((o) => o.op))).toEqual(new Set(['select']));
    expect(new Set(sent.map((s) => s.method))).toEqual(new Set(['get_schema', 'set_db_change_aware', 'transact']));
    expect(await run('ovsdb-client', ['dump', nb().remotes.unix!, 'OVN_Northbound'])).toBe(before);

    const acls = live.rows.acls.map((a) => ({ group: a.portGroup, dir: a.direction, prio: a.priority, match: a.match, action: a.action, afterLb: a.options['apply-after-lb'] ?? null }));
    expect(acls).toEqual([
      { group: switchAclGroup('ovn-default'), dir: 'to-lport', prio: 1000, match: 'ip4.dst == 10.16.0.0/16', action: 'allow', afterLb: null },
      { group: 'web.shop', dir: 'from-lport', prio: 2001, match: 'inport == @web.shop && ip4.dst == $allow.v4', action: 'allow-related', afterLb: 'true' },
      { group: 'web.shop', dir: 'to-lport', prio: 2000, match: 'outport == @web.shop && ip', action: 'drop', afterLb: null },
    ]);
    expect(live.rows.portGroups.map((g) => [g.name, g.ports])).toEqual([
      [switchAclGroup('ovn-default'), ['client.shop', 'ovn-default-ovn-cluster', 'web.shop']],
      ['web.shop', ['web.shop']],
    ]);
    expect(live.portGroupExternalIds.get('web.shop')).toEqual({ np: 'shop/web' });
    expect(live.rows.addressSets.map((s) => [s.name, s.addresses])).toEqual([['allow.v4', ['10.16.0.11', '10.17.0.0/16']]]);
    expect(live.ports.map((p) => [p.name, p.switch, p.type, p.ips])).toEqual([
      ['client.shop', 'ovn-default', '', ['10.16.0.11']],
      ['ovn-default-ovn-cluster', 'ovn-default', 'router', []],
      ['web.shop', 'ovn-default', '', ['10.16.0.10', 'fd00:10:16::10']],
    ]);
    expect(live.loadBalancers.map((l) => [l.row.name, l.row.protocol, l.row.vips, l.switches])).toEqual([
      ['svc-grouped', 'udp', { '10.96.0.11:53': '10.16.0.10:5353' }, ['ovn-default']],
      ['svc-tcp', 'tcp', { '10.96.0.10:80': '10.16.0.10:8080' }, ['ovn-default']],
    ]);
    expect(live.switches).toEqual(['other', 'ovn-default']);
  });
});
