import { describe, expect, it } from 'vitest';
import { AclRow, AddressSetRow, capabilitiesForOvnVersion, PortGroupRow } from '../../src/index.js';
import { NETWORK_POLICY_PRIORITIES, stableHash } from '../../src/subpaths/model.js';
import { cluster } from './fixture.js';
import { aclLines, compileYaml, docs, policy } from './helpers.js';

/** The naming rule of shared peer sets: `nppeer[.<namespace>].H<hash of the identity>.Ip<family>`. */
const peerSet = (scope: string | null, identity: string, family: 4 | 6) =>
  ['nppeer', ...(scope === null ? [] : [scope]), `H${stableHash(identity)}`, `Ip${family}`].join('.');
const prodClient4 = peerSet('prod', 'ns=prod pods={app=client}', 4);
const devClient4 = peerSet('dev', 'ns=dev pods={app=client}', 4);
const devClient6 = peerSet('dev', 'ns=dev pods={app=client}', 6);

const compileWith = (policies: string[], options = {}) => compileYaml(docs(cluster, ...policies), options);
const egressEverywhere = (name: string) =>
  policy('prod', name, {
    podSelector: { matchLabels: { app: 'db' } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 5432 }] }],
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }],
  });

describe('NetworkPolicy rows', () => {
  it('writes whole rows: names, priorities, actions, after-lb on egress, ownership with a rule id per ACL', () => {
    const { rows } = compileWith([egressEverywhere('allow-db')]);
    const ids = (rule?: string) => ({
      'nbgen/owner': 'nbgen',
      'nbgen/kind': 'NetworkPolicy',
      'nbgen/namespace': 'prod',
      'nbgen/name': 'allow-db',
      ...(rule === undefined ? {} : { 'nbgen/rule': rule }),
    });
    const common = { portGroup: 'np.prod.allow_db', log: false, severity: null, meter: null, tier: null };
    const afterLb = { 'apply-after-lb': 'true' };
    const clientSet = prodClient4;
    expect(rows).toEqual({
      portGroups: [PortGroupRow({ name: 'np.prod.allow_db', ports: ['db-1.prod'], externalIds: ids() })],
      addressSets: [
        AddressSetRow({
          name: clientSet,
          addresses: ['10.0.1.4'],
          externalIds: {
            'nbgen/owner': 'nbgen',
            'nbgen/kind': 'Shared',
            'nbgen/namespace': 'prod',
            'nbgen/name': 'networkpolicy-peers',
            'nbgen/rule': 'ns=prod pods={app=client} ip4',
          },
        }),
      ],
      acls: [
        AclRow({
          ...common,
          direction: 'from-lport',
          priority: 2001,
          action: 'allow-related',
          match: 'inport == @np.prod.allow_db && ip4.dst == 10.0.0.0/8',
          name: 'np:prod/allow-db:eg0',
          options: afterLb,
          externalIds: ids('egress/0/ip4/all'),
        }),
        AclRow({
          ...common,
          direction: 'from-lport',
          priority: 2000,
          action: 'drop',
          match: 'inport == @np.prod.allow_db && ip',
          name: 'np:prod/allow-db:eg-drop',
          options: afterLb,
          externalIds: ids('egress/default-drop'),
        }),
        AclRow({
          ...common,
          direction: 'to-lport',
          priority: 2001,
          action: 'allow-related',
          match: `outport == @np.prod.allow_db && ip4.src == $${clientSet} && tcp.dst == 5432`,
          name: 'np:prod/allow-db:in0',
          options: {},
          externalIds: ids('ingress/0/ip4/tcp-5432'),
        }),
        AclRow({
          ...common,
          direction: 'to-lport',
          priority: 2000,
          action: 'drop',
          match: 'outport == @np.prod.allow_db && ip',
          name: 'np:prod/allow-db:in-drop',
          options: {},
          externalIds: ids('ingress/default-drop'),
        }),
      ],
      nats: [],
      loadBalancers: [],
    });
  });

  it('uses the fixed priority bands the ClusterNetworkPolicy tiers are built around', () => {
    expect(NETWORK_POLICY_PRIORITIES).toEqual({ alwaysAllow: 2002, allow: 2001, defaultDrop: 2000 });
  });

  it('sets tier 2 on every row when the target OVN has ACL tiers', () => {
    const { rows } = compileWith([egressEverywhere('p')], { capabilities: capabilitiesForOvnVersion('24.03') });
    expect(rows.acls.map((a) => a.tier)).toEqual([2, 2, 2, 2]);
  });

  it('alwaysAllowCidrs: an allow above the rules into isolated pods from those sources and out to them', () => {
    const { rows } = compileWith([egressEverywhere('p')], { alwaysAllowCidrs: ['100.64.0.0/16', 'fd00:100::/64', '100.64.0.0/16'] });
    expect(aclLines(rows)).toEqual([
      'from-lport 2002 allow-related inport == @np.prod.p && ip4.dst == 100.64.0.0/16',
      'from-lport 2002 allow-related inport == @np.prod.p && ip6.dst == fd00:100::/64',
      'from-lport 2001 allow-related inport == @np.prod.p && ip4.dst == 10.0.0.0/8',
      'from-lport 2000 drop inport == @np.prod.p && ip',
      'to-lport 2002 allow-related outport == @np.prod.p && ip4.src == 100.64.0.0/16',
      'to-lport 2002 allow-related outport == @np.prod.p && ip6.src == fd00:100::/64',
      `to-lport 2001 allow-related outport == @np.prod.p && ip4.src == $${prodClient4} && tcp.dst == 5432`,
      'to-lport 2000 drop outport == @np.prod.p && ip',
    ]);
    expect(rows.acls.slice(0, 2).map((a) => [a.externalIds['nbgen/rule'], a.name, a.options])).toEqual([
      ['egress/always-allow/ip4', 'np:prod/p:eg-always', { 'apply-after-lb': 'true' }],
      ['egress/always-allow/ip6', 'np:prod/p:eg-always', { 'apply-after-lb': 'true' }],
    ]);
  });

  it('alwaysAllowCidrs: a value that is not a CIDR is refused with a stable code', () => {
    expect(() => compileWith([egressEverywhere('p')], { alwaysAllowCidrs: ['100.64.0.0/16', '100.64/x'] })).toThrow(
      expect.objectContaining({ code: 'NBGEN_COMPILE_OPTION', option: 'alwaysAllowCidrs', value: '100.64/x', message: 'alwaysAllowCidrs: "100.64/x" is not a CIDR' }),
    );
  });

  it('logs the rows of the policies named in options.logging (or all with *), with severity and meter', () => {
    const logging = { 'prod/logged': { severity: 'info' as const, meter: 'acl-meter' } };
    const { rows } = compileWith([egressEverywhere('logged'), egressEverywhere('quiet')], { logging });
    expect(rows.acls.map((a) => [a.portGroup, a.log, a.severity, a.meter])).toEqual([
      ...Array(4).fill(['np.prod.logged', true, 'info', 'acl-meter']),
      ...Array(4).fill(['np.prod.quiet', false, null, null]),
    ]);
    const all = compileWith([egressEverywhere('quiet')], { logging: { '*': { severity: 'alert', meter: null } } });
    expect(all.rows.acls.map((a) => [a.log, a.severity, a.meter])).toEqual(Array(4).fill([true, 'alert', null]));
  });

  it('equal peers share one address set across policies; a same-namespace peer is per namespace', () => {
    const from = { from: [{ podSelector: { matchLabels: { app: 'client' } } }] };
    const { rows } = compileWith([
      policy('prod', 'a', { podSelector: { matchLabels: { app: 'db' } }, ingress: [from] }),
      policy('prod', 'b', { podSelector: { matchLabels: { app: 'web' } }, ingress: [from, { ...from, ports: [{ port: 80 }] }] }),
      policy('dev', 'c', { podSelector: {}, ingress: [from] }),
    ]);
    expect(rows.addressSets.map((s) => [s.name, s.addresses, s.externalIds['nbgen/rule']])).toEqual([
      [devClient4, ['10.0.2.1'], 'ns=dev pods={app=client} ip4'],
      [devClient6, ['fd00::2:1'], 'ns=dev pods={app=client} ip6'],
      [prodClient4, ['10.0.1.4'], 'ns=prod pods={app=client} ip4'],
    ]);
    const references = rows.acls.filter((a) => a.match.includes('$')).map((a) => `${a.portGroup}: ${a.match.replace(/.*(\$\S+).*/, '$1')}`);
    expect(references).toEqual([
      `np.dev.c: $${devClient4}`,
      `np.dev.c: $${devClient6}`,
      `np.prod.a: $${prodClient4}`,
      `np.prod.b: $${prodClient4}`,
      `np.prod.b: $${prodClient4}`,
    ]);
  });

  it('a selector written differently but meaning the same shares the set', () => {
    const { rows } = compileWith([
      policy('prod', 'a', { ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }] }),
      policy('prod', 'b', { ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['client', 'client'] }] } }] }] }),
    ]);
    expect(rows.addressSets.map((s) => s.name)).toEqual([prodClient4]);
  });

  it('names are valid OVN names, lossless for - and . in Kubernetes names, and ACL names stay within 63 characters', () => {
    const long = `very-long-policy-name-${'x'.repeat(60)}`;
    const { rows } = compileWith([
      policy('prod', 'a-b', { podSelector: {} }),
      policy('prod', 'a.b', { podSelector: {} }),
      policy('prod', long, { podSelector: {} }),
    ]);
    expect(rows.portGroups.map((pg) => pg.name)).toEqual(['np.prod.a.b', 'np.prod.a_b', `np.prod.very_long_policy_name_${'x'.repeat(60)}`]);
    const names = rows.acls.filter((a) => a.action === 'drop').map((a) => a.name!);
    expect(names.slice(0, 2)).toEqual(['np:prod/a.b:in-drop', 'np:prod/a-b:in-drop']);
    expect(names[2]).toMatch(/^np:prod\/very-long-policy-name-x+\.H[0-9a-v]{13}$/);
    expect(names[2]).toHaveLength(63);
    for (const name of [...rows.portGroups.map((p) => p.name), ...rows.addressSets.map((s) => s.name)]) {
      expect(name).toMatch(/^[a-zA-Z_.][a-zA-Z_.0-9]*$/);
    }
  });
});
