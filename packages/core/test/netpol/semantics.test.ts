import { describe, expect, it } from 'vitest';
import { cluster } from './fixture.js';
import { compileYaml, docs, pod, policy, readableAclLines, readableSetLines } from './helpers.js';

/** Compiles the fixture cluster plus the given policies. */
const compileWith = (...policies: string[]) => compileYaml(docs(cluster, ...policies));
const drop = (pg: string) => `to-lport 2000 drop outport == @${pg} && ip`;
const egressDrop = (pg: string) => `from-lport 2000 drop inport == @${pg} && ip`;

describe('pod selection (spec.podSelector)', () => {
  it('selects pods by matchLabels; pods without an IP and hostNetwork pods are left out', () => {
    const { rows } = compileWith(policy('prod', 'web', { podSelector: { matchLabels: { app: 'web' } } }));
    expect(rows.portGroups.map((pg) => [pg.name, pg.ports])).toEqual([['np.prod.web', ['web-1.prod', 'web-2.prod']]]);
  });

  it('selects pods by matchExpressions: In, NotIn, Exists, DoesNotExist', () => {
    const { rows } = compileWith(
      policy('prod', 'in', { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'client'] }] } }),
      policy('prod', 'notin', { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] } }),
      policy('prod', 'exists', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } }),
      policy('prod', 'absent', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] } }),
      policy('prod', 'both', {
        podSelector: { matchLabels: { tier: 'frontend' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
      }),
    );
    expect(rows.portGroups.map((pg) => [pg.name, pg.ports])).toEqual([
      ['np.prod.absent', ['client.prod']],
      ['np.prod.both', ['web-1.prod', 'web-2.prod']],
      ['np.prod.exists', ['db-1.prod', 'web-1.prod', 'web-2.prod']],
      ['np.prod.in', ['client.prod', 'db-1.prod']],
      ['np.prod.notin', ['client.prod', 'db-1.prod']],
    ]);
  });

  it('an empty podSelector selects every addressed pod of the namespace and no other', () => {
    const { rows } = compileWith(policy('dev', 'all', { podSelector: {} }));
    expect(rows.portGroups.map((pg) => [pg.name, pg.ports])).toEqual([['np.dev.all', ['client.dev', 'tool.dev']]]);
  });
});

describe('isolation (policyTypes, absent rules)', () => {
  it('a policy with no rules isolates ingress only (policyTypes defaults to Ingress)', () => {
    const { rows } = compileWith(policy('prod', 'deny', { podSelector: { matchLabels: { app: 'db' } } }));
    expect(readableAclLines(rows)).toEqual([drop('np.prod.deny')]);
  });

  it('policyTypes [Ingress, Egress] without rules denies both; egress rows apply after load balancing', () => {
    const { rows } = compileWith(policy('prod', 'deny', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress', 'Egress'] }));
    expect(readableAclLines(rows)).toEqual([egressDrop('np.prod.deny'), drop('np.prod.deny')]);
    expect(rows.acls.map((a) => [a.direction, a.options])).toEqual([
      ['from-lport', { 'apply-after-lb': 'true' }],
      ['to-lport', {}],
    ]);
  });

  it('policyTypes [Egress] ignores ingress rules and leaves ingress open', () => {
    const { rows, warnings } = compileWith(
      policy('prod', 'eg', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Egress'], ingress: [{}] }),
    );
    expect(readableAclLines(rows)).toEqual([egressDrop('np.prod.eg')]);
    expect(warnings.map((w) => w.code)).toEqual(['NP_RULES_IGNORED']);
  });
});

describe('peers', () => {
  const db = { podSelector: { matchLabels: { app: 'db' } } };

  it('an empty from allows every source, inside the cluster or not, in both families', () => {
    const { rows } = compileWith(policy('prod', 'open', { ...db, ingress: [{}] }), policy('prod', 'open-list', { ...db, ingress: [{ from: [] }] }));
    expect(readableAclLines(rows)).toEqual([
      'to-lport 2001 allow-related outport == @np.prod.open && ip',
      drop('np.prod.open'),
      'to-lport 2001 allow-related outport == @np.prod.open_list && ip',
      drop('np.prod.open_list'),
    ]);
  });

  it('a podSelector alone selects pods of the policy namespace only', () => {
    const { rows } = compileWith(policy('prod', 'p', { ...db, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }] }));
    expect(readableAclLines(rows)).toEqual([
      'to-lport 2001 allow-related outport == @np.prod.p && ip4.src == $[ns=prod pods={app=client} ip4]',
      drop('np.prod.p'),
    ]);
    expect(readableSetLines(rows)).toEqual(['[ns=prod pods={app=client} ip4]: 10.0.1.4']);
  });

  it('a namespaceSelector alone selects every pod of the matching namespaces, both families', () => {
    const { rows } = compileWith(policy('prod', 'p', { ...db, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }] }] }));
    expect(readableAclLines(rows)).toEqual([
      'to-lport 2001 allow-related outport == @np.prod.p && ip4.src == $[namespaces={team=b} pods={} ip4]',
      'to-lport 2001 allow-related outport == @np.prod.p && ip6.src == $[namespaces={team=b} pods={} ip6]',
      drop('np.prod.p'),
    ]);
    expect(readableSetLines(rows)).toEqual([
      '[namespaces={team=b} pods={} ip4]: 10.0.2.1 10.0.2.2',
      '[namespaces={team=b} pods={} ip6]: fd00::2:1',
    ]);
  });

  it('namespaceSelector and podSelector in one peer must both match (AND)', () => {
    const { rows } = compileWith(
      policy('prod', 'p', { ...db, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'client' } } }] }] }),
    );
    expect(readableSetLines(rows)).toEqual([
      '[namespaces={} pods={app=client} ip4]: 10.0.1.4 10.0.2.1',
      '[namespaces={} pods={app=client} ip6]: fd00::2:1',
    ]);
  });

  it('separate peers are alternatives (OR) in one allow per family', () => {
    const { rows } = compileWith(
      policy('prod', 'p', {
        ...db,
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }, { podSelector: { matchLabels: { app: 'client' } } }] }],
      }),
    );
    expect(readableAclLines(rows)).toEqual([
      'to-lport 2001 allow-related outport == @np.prod.p && ip4.src == {$[namespaces={team=b} pods={} ip4], $[ns=prod pods={app=client} ip4]}',
      'to-lport 2001 allow-related outport == @np.prod.p && ip6.src == $[namespaces={team=b} pods={} ip6]',
      drop('np.prod.p'),
    ]);
  });

  it('a namespace that is not given carries only kubernetes.io/metadata.name', () => {
    const { rows } = compileWith(
      policy('prod', 'by-name', { ...db, egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }] }] }),
      policy('prod', 'by-label', { ...db, egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } }] }] }),
    );
    expect(readableSetLines(rows)).toEqual([
      '[namespaces={!team} pods={} ip4]: 10.0.3.1',
      '[namespaces={kubernetes.io/metadata.name=kube-system} pods={} ip4]: 10.0.3.1',
    ]);
  });

  it('a peer that selects no pods allows nothing: no ACL, no address set, no empty-set comparison', () => {
    const { rows } = compileWith(policy('prod', 'p', { ...db, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'nope' } } }], ports: [{ port: 80 }] }] }));
    expect(readableAclLines(rows)).toEqual([drop('np.prod.p')]);
    expect(rows.addressSets).toEqual([]);
  });

  it('ipBlock: canonical CIDRs, except subtracted, IPv4 and IPv6 blocks in their own family', () => {
    const { rows } = compileWith(
      policy('prod', 'p', {
        ...db,
        ingress: [
          {
            from: [
              { ipBlock: { cidr: '172.16.0.0/12', except: ['172.16.1.0/24', '172.16.2.0/24'] } },
              { ipBlock: { cidr: '192.168.0.0/16' } },
              { ipBlock: { cidr: '10.9.9.9/8', except: ['10.1.0.0/16'] } },
              { ipBlock: { cidr: 'fd00:0:0:0::/48', except: ['fd00:0:0:1::/64'] } },
              { podSelector: { matchLabels: { app: 'client' } } },
            ],
          },
        ],
      }),
    );
    expect(readableAclLines(rows)).toEqual([
      'to-lport 2001 allow-related outport == @np.prod.p && (ip4.src == {$[ns=prod pods={app=client} ip4], 192.168.0.0/16} || (ip4.src == 172.16.0.0/12 && ip4.src != {172.16.1.0/24, 172.16.2.0/24}) || (ip4.src == 10.0.0.0/8 && ip4.src != 10.1.0.0/16))',
      'to-lport 2001 allow-related outport == @np.prod.p && ip6.src == fd00::/48 && ip6.src != fd00:0:0:1::/64',
      drop('np.prod.p'),
    ]);
  });

  it('equal peers count once', () => {
    const peer = { podSelector: { matchLabels: { app: 'client' } } };
    const { rows } = compileWith(policy('prod', 'p', { ...db, ingress: [{ from: [peer, peer, { ipBlock: { cidr: '10.8.0.0/16' } }, { ipBlock: { cidr: '10.8.0.0/16' } }] }] }));
    expect(readableAclLines(rows)).toEqual([
      'to-lport 2001 allow-related outport == @np.prod.p && ip4.src == {$[ns=prod pods={app=client} ip4], 10.8.0.0/16}',
      drop('np.prod.p'),
    ]);
  });
});

describe('ports', () => {
  const db = { podSelector: { matchLabels: { app: 'db' } } };

  it('numbers, ranges, protocol-only entries and TCP/UDP/SCTP each get their own allow', () => {
    const { rows } = compileWith(
      policy('prod', 'p', {
        ...db,
        ingress: [
          {
            ports: [
              { port: 5432 },
              { protocol: 'UDP', port: 53 },
              { protocol: 'SCTP', port: 3868, endPort: 3870 },
              { protocol: 'UDP' },
              { port: 5432, protocol: 'TCP' },
            ],
          },
        ],
      }),
    );
    expect(readableAclLines(rows)).toEqual([
      'to-lport 2001 allow-related outport == @np.prod.p && ip && 3868 <= sctp.dst <= 3870',
      'to-lport 2001 allow-related outport == @np.prod.p && ip && tcp.dst == 5432',
      'to-lport 2001 allow-related outport == @np.prod.p && ip && udp',
      'to-lport 2001 allow-related outport == @np.prod.p && ip && udp.dst == 53',
      drop('np.prod.p'),
    ]);
    expect(rows.acls.map((a) => a.externalIds['nbgen/rule'])).toEqual([
      'ingress/0/ip/sctp-3868-3870',
      'ingress/0/ip/tcp-5432',
      'ingress/0/ip/udp',
      'ingress/0/ip/udp-53',
      'ingress/default-drop',
    ]);
  });

  it('ingress named port resolves per selected pod: each number is allowed only on the pods that use it', () => {
    const { rows } = compileWith(
      policy('prod', 'web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 'http' }] }] }),
    );
    expect(readableAclLines(rows)).toEqual([
      'to-lport 2001 allow-related outport == "web-1.prod" && ip4.src == $[ns=prod pods={app=client} ip4] && tcp.dst == 8080',
      'to-lport 2001 allow-related outport == "web-2.prod" && ip4.src == $[ns=prod pods={app=client} ip4] && tcp.dst == 80',
      drop('np.prod.web'),
    ]);
  });

  it('ingress named port used alike by every selected pod is allowed on the whole port group', () => {
    const { rows } = compileWith(policy('prod', 'web1', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 'metrics' }, { port: 'absent' }] }] }));
    // web-2 has no port named metrics, so the allow is only for web-1, by name.
    expect(readableAclLines(rows)).toEqual([
      'to-lport 2001 allow-related outport == "web-1.prod" && ip && tcp.dst == 9090',
      drop('np.prod.web1'),
    ]);
    const { rows: db } = compileWith(policy('prod', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 'sql' }] }] }));
    expect(readableAclLines(db)).toEqual(['to-lport 2001 allow-related outport == @np.prod.db && ip && tcp.dst == 5432', drop('np.prod.db')]);
  });

  it('warns when a named port resolves on none of the pods it could apply to', () => {
    const { rows, warnings } = compileWith(
      policy('prod', 'p', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ ports: [{ port: 80 }, { port: 'grpc' }, { port: 'http', protocol: 'UDP' }] }],
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 'http' }] }],
      }),
      // No pod selected: nothing to resolve against, so no warning.
      policy('prod', 'none', { podSelector: { matchLabels: { app: 'nope' } }, ingress: [{ ports: [{ port: 'grpc' }] }] }),
    );
    expect(warnings).toEqual([
      {
        code: 'NP_NAMED_PORT_UNRESOLVED',
        source: { file: 'test.yaml', doc: 11 },
        path: 'spec.ingress[0].ports[1].port',
        message: 'no selected pod has a TCP container port named "grpc"; this port allows nothing',
      },
      {
        code: 'NP_NAMED_PORT_UNRESOLVED',
        source: { file: 'test.yaml', doc: 11 },
        path: 'spec.ingress[0].ports[2].port',
        message: 'no selected pod has a UDP container port named "http"; this port allows nothing',
      },
      {
        code: 'NP_NAMED_PORT_UNRESOLVED',
        source: { file: 'test.yaml', doc: 11 },
        path: 'spec.egress[0].ports[0].port',
        message: 'no destination pod has a TCP container port named "http"; this port allows nothing',
      },
    ]);
    // The unresolved entries add no allow; TCP 80 still does.
    expect(readableAclLines(rows)).toEqual([
      drop('np.prod.none'),
      egressDrop('np.prod.p'),
      'to-lport 2001 allow-related outport == @np.prod.p && ip && tcp.dst == 80',
      drop('np.prod.p'),
    ]);
  });

  it('egress named port resolves per destination (peer) pod, into per-number subsets of the peer', () => {
    const { rows } = compileWith(
      policy('prod', 'client', {
        podSelector: { matchLabels: { app: 'client' } },
        egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'tool'] }] } }], ports: [{ port: 'http' }] }],
      }),
    );
    expect(readableAclLines(rows)).toEqual([
      'from-lport 2001 allow-related inport == @np.prod.client && ip4.dst == $[namespaces={} pods={app in (tool,web)} port=TCP/http=80 ip4] && tcp.dst == 80',
      'from-lport 2001 allow-related inport == @np.prod.client && ip4.dst == $[namespaces={} pods={app in (tool,web)} port=TCP/http=8000 ip4] && tcp.dst == 8000',
      'from-lport 2001 allow-related inport == @np.prod.client && ip4.dst == $[namespaces={} pods={app in (tool,web)} port=TCP/http=8080 ip4] && tcp.dst == 8080',
      'from-lport 2001 allow-related inport == @np.prod.client && ip6.dst == $[namespaces={} pods={app in (tool,web)} port=TCP/http=8080 ip6] && tcp.dst == 8080',
      egressDrop('np.prod.client'),
      drop('np.prod.client'),
    ]);
    expect(readableSetLines(rows)).toEqual([
      '[namespaces={} pods={app in (tool,web)} port=TCP/http=80 ip4]: 10.0.1.2',
      '[namespaces={} pods={app in (tool,web)} port=TCP/http=8000 ip4]: 10.0.2.2',
      '[namespaces={} pods={app in (tool,web)} port=TCP/http=8080 ip4]: 10.0.1.1',
      '[namespaces={} pods={app in (tool,web)} port=TCP/http=8080 ip6]: fd00::1:1',
    ]);
  });

  it('egress named port with the protocol of the container port: dns over UDP, dns-tcp over TCP', () => {
    const { rows } = compileWith(
      policy('prod', 'dns', {
        podSelector: { matchLabels: { app: 'client' } },
        policyTypes: ['Egress'],
        egress: [{ ports: [{ port: 'dns', protocol: 'UDP' }, { port: 'dns-tcp' }, { port: 'dns' }] }],
      }),
    );
    // An empty `to` with a named port: only pods can name ports, so only pod destinations.
    expect(readableAclLines(rows)).toEqual([
      'from-lport 2001 allow-related inport == @np.prod.dns && ip4.dst == $[namespaces={} pods={} port=UDP/dns=53 ip4] && udp.dst == 53',
      'from-lport 2001 allow-related inport == @np.prod.dns && ip4.dst == $[namespaces={} pods={} port=TCP/dns-tcp=53 ip4] && tcp.dst == 53',
      egressDrop('np.prod.dns'),
    ]);
  });

  it('egress named port to an ipBlock reaches only cluster pods inside the block that name the port', () => {
    const { rows } = compileWith(
      policy('prod', 'client', {
        podSelector: { matchLabels: { app: 'client' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.2.0/24'] } }], ports: [{ port: 'http' }, { port: 443 }] }],
      }),
    );
    expect(readableAclLines(rows)).toEqual([
      'from-lport 2001 allow-related inport == @np.prod.client && ip4.dst == $[block 10.0.0.0/16 except 10.0.2.0/24 port=TCP/http=8080 ip4] && tcp.dst == 8080',
      'from-lport 2001 allow-related inport == @np.prod.client && ip4.dst == $[block 10.0.0.0/16 except 10.0.2.0/24 port=TCP/http=80 ip4] && tcp.dst == 80',
      'from-lport 2001 allow-related inport == @np.prod.client && ip4.dst == 10.0.0.0/16 && ip4.dst != 10.0.2.0/24 && tcp.dst == 443',
      egressDrop('np.prod.client'),
    ]);
    // tool (10.0.2.2, http=8000) is in the except, hostnet (192.168.1.10) is outside the block.
    expect(readableSetLines(rows)).toEqual([
      '[block 10.0.0.0/16 except 10.0.2.0/24 port=TCP/http=80 ip4]: 10.0.1.2',
      '[block 10.0.0.0/16 except 10.0.2.0/24 port=TCP/http=8080 ip4]: 10.0.1.1',
    ]);
  });
});

describe('several policies and address families', () => {
  it('policies selecting the same pod are additive: each keeps its own group, drops and allows', () => {
    const { rows } = compileWith(
      policy('prod', 'a', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 5432 }] }] }),
      policy('prod', 'b', { podSelector: { matchLabels: { tier: 'backend' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }] }),
    );
    expect(rows.portGroups.map((pg) => [pg.name, pg.ports])).toEqual([
      ['np.prod.a', ['db-1.prod']],
      ['np.prod.b', ['db-1.prod']],
    ]);
    expect(readableAclLines(rows)).toEqual([
      'to-lport 2001 allow-related outport == @np.prod.a && ip && tcp.dst == 5432',
      drop('np.prod.a'),
      'to-lport 2001 allow-related outport == @np.prod.b && ip4.src == $[ns=prod pods={app=client} ip4]',
      drop('np.prod.b'),
    ]);
  });

  it('dual-stack pods: IPv4 and IPv6 allows in both directions (northd itself passes IPv6 ND ahead of ACLs)', () => {
    const { rows } = compileWith(
      policy('dev', 'client', {
        podSelector: { matchLabels: { app: 'client' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }] }],
        egress: [{ to: [{ ipBlock: { cidr: '::/0' } }, { ipBlock: { cidr: '0.0.0.0/0' } }] }],
      }),
    );
    expect(readableAclLines(rows)).toEqual([
      'from-lport 2001 allow-related inport == @np.dev.client && ip4.dst == 0.0.0.0/0',
      'from-lport 2001 allow-related inport == @np.dev.client && ip6.dst == ::/0',
      egressDrop('np.dev.client'),
      'to-lport 2001 allow-related outport == @np.dev.client && ip4.src == $[namespaces={} pods={app=web} ip4]',
      'to-lport 2001 allow-related outport == @np.dev.client && ip6.src == $[namespaces={} pods={app=web} ip6]',
      drop('np.dev.client'),
    ]);
  });

  it('a policy in a namespace without pods yields an empty port group and its rows', () => {
    const { rows } = compileYaml(policy('empty', 'deny', { podSelector: {} }));
    expect(rows.portGroups.map((pg) => [pg.name, pg.ports])).toEqual([['np.empty.deny', []]]);
    expect(readableAclLines(rows)).toEqual([drop('np.empty.deny')]);
  });

  it('single-stack IPv6 pods: pod peers allow over IPv6 only, an IPv4 ipBlock still over IPv4', () => {
    const { rows } = compileYaml(
      docs(
        pod('v6', 'a', { app: 'a' }, ['fd00::a']),
        pod('v6', 'b', { app: 'b' }, ['fd00::b']),
        policy('v6', 'p', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'b' } } }, { ipBlock: { cidr: '10.0.0.0/8' } }] }] }),
      ),
    );
    expect(readableAclLines(rows)).toEqual([
      'to-lport 2001 allow-related outport == @np.v6.p && ip4.src == 10.0.0.0/8',
      'to-lport 2001 allow-related outport == @np.v6.p && ip6.src == $[ns=v6 pods={app=b} ip6]',
      drop('np.v6.p'),
    ]);
  });
});
