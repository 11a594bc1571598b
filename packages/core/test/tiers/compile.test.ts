import { describe, expect, it } from 'vitest';
import type { AclRow } from '../../src/rows/index.js';
import { compileClusterPolicies } from '../../src/tiers/compile.js';
import { banp, cnp, compileYaml, modelOf, namespace, optionsFor, pod } from './fixtures.js';

/** `ip.proto == {0, 1, ..., 255}` without a few numbers, shortened to `ip.proto == {0..255 but 6}`. */
function shortProtocolSets(match: string): string {
  return match.replace(/ip\.proto == \{([\d, ]+)\}/g, (whole, list: string) => {
    const numbers = new Set(list.split(', ').map(Number));
    if (numbers.size < 200) return whole;
    const missing = Array.from({ length: 256 }, (_, n) => n).filter((n) => !numbers.has(n));
    return `ip.proto == {0..255 but ${missing.join(', ')}}`;
  });
}

/** One line per ACL: what OVN evaluates, in the canonical row order. */
function aclLines(acls: readonly AclRow[]): string[] {
  return acls.map(
    (a) =>
      `${a.direction} ${a.tier === null ? '' : `t${a.tier} `}${a.priority} ${a.action} [${a.externalIds['nbgen/name']} ${a.externalIds['nbgen/rule']}]` +
      `${a.options['apply-after-lb'] ? ' after-lb' : ''}: ${shortProtocolSets(a.match)}`,
  );
}

const inventory = [
  namespace('prod', { env: 'prod' }),
  namespace('dev', { env: 'dev' }),
  pod('prod', 'web', '10.16.1.10,fd00::1:10', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]),
  pod('prod', 'db', '10.16.1.11', { app: 'db' }, [{ name: 'http', containerPort: 9090 }]),
  pod('dev', 'tool', '10.16.2.10', { app: 'tool' }),
];

const guardrails = [
  // Admin: let dev reach prod's http named port only through NetworkPolicy (Pass), deny the rest from dev.
  cnp('dev-to-prod', {
    tier: 'Admin',
    priority: 10,
    subject: { namespaces: { matchLabels: { env: 'prod' } } },
    ingress: [
      { name: 'http-via-np', action: 'Pass', from: [{ namespaces: { matchLabels: { env: 'dev' } } }], protocols: [{ destinationNamedPort: 'http' }] },
      { name: 'rest', action: 'Deny', from: [{ namespaces: { matchLabels: { env: 'dev' } } }] },
    ],
  }),
  cnp('dns', {
    tier: 'Admin',
    priority: 20,
    subject: { namespaces: {} },
    egress: [{ action: 'Accept', to: [{ networks: ['10.96.0.10/32'] }], protocols: [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }] }],
    ingress: [{ action: 'Accept', from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'tool' } } } }], protocols: [{ tcp: { destinationPort: { range: { start: 8000, end: 8999 } } } }] }],
  }),
  banp({ subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
];

describe('tiered policies → ACL rows', () => {
  it('without tiers (23.03): bands, and Pass excluded from every lower rule of its tier whose subject it shares', () => {
    expect(aclLines(compileYaml('23.03', ...inventory, ...guardrails).rows.acls)).toEqual([
      'to-lport 1999 drop [default ingress/0/ip4]: outport == @banp.default && ip4.src == $banp.default.In0.Ip4',
      'to-lport 1999 drop [default ingress/0/ip6]: outport == @banp.default && ip6.src == $banp.default.In0.Ip6',
      // Pass rule of dev-to-prod (rank 0, 32767) emits no row; "not its match" is written out in
      // the lower rules: some address test fails, or the protocol/port is outside its ports.
      'to-lport 32766 drop [dev-to-prod ingress/1/ip4]: outport == @cnp.dev_to_prod && ip4.src == $cnp.dev_to_prod.In1.Ip4 && ' +
        '(!(ip4.src == $cnp.dev_to_prod.In0.Ip4) || !(ip4.dst == $cnp.dev_to_prod.In0.Tcp8080.Ip4) || ip.proto == {0..255 but 6} || (ip.proto == 6 && !(tcp.dst == 8080))) && ' +
        '(!(ip4.src == $cnp.dev_to_prod.In0.Ip4) || !(ip4.dst == $cnp.dev_to_prod.In0.Tcp9090.Ip4) || ip.proto == {0..255 but 6} || (ip.proto == 6 && !(tcp.dst == 9090)))',
      'from-lport 32767 allow-related [dns egress/0/ip4] after-lb: inport == @cnp.dns && ip4.dst == $cnp.dns.Eg0.Ip4 && (tcp.dst == 53 || udp.dst == 53)',
      // Across policies the Pass subject is named by OVN's address set of its port group (OVN
      // refuses outport under '!').
      'to-lport 32765 allow-related [dns ingress/0/ip4]: outport == @cnp.dns && ip4.src == $cnp.dns.In0.Ip4 && 8000 <= tcp.dst <= 8999 && ' +
        '(!(ip4.dst == $cnp.dev_to_prod_ip4) || ((!(ip4.src == $cnp.dev_to_prod.In0.Ip4) || !(ip4.dst == $cnp.dev_to_prod.In0.Tcp8080.Ip4) || ip.proto == {0..255 but 6} || (ip.proto == 6 && !(tcp.dst == 8080))) && ' +
        '(!(ip4.src == $cnp.dev_to_prod.In0.Ip4) || !(ip4.dst == $cnp.dev_to_prod.In0.Tcp9090.Ip4) || ip.proto == {0..255 but 6} || (ip.proto == 6 && !(tcp.dst == 9090)))))',
    ]);
  });

  it('with tiers (25.03): the same ranks, Admin in tier 1 with a pass row, Baseline in tier 3 at the top of its range', () => {
    expect(aclLines(compileYaml('25.03', ...inventory, ...guardrails).rows.acls)).toEqual([
      'to-lport t3 32767 drop [default ingress/0/ip4]: outport == @banp.default && ip4.src == $banp.default.In0.Ip4',
      'to-lport t3 32767 drop [default ingress/0/ip6]: outport == @banp.default && ip6.src == $banp.default.In0.Ip6',
      'to-lport t1 32767 pass [dev-to-prod ingress/0/ip4]: outport == @cnp.dev_to_prod && ' +
        '((ip4.src == $cnp.dev_to_prod.In0.Ip4 && ip4.dst == $cnp.dev_to_prod.In0.Tcp8080.Ip4 && tcp.dst == 8080) || (ip4.src == $cnp.dev_to_prod.In0.Ip4 && ip4.dst == $cnp.dev_to_prod.In0.Tcp9090.Ip4 && tcp.dst == 9090))',
      'to-lport t1 32766 drop [dev-to-prod ingress/1/ip4]: outport == @cnp.dev_to_prod && ip4.src == $cnp.dev_to_prod.In1.Ip4',
      'from-lport t1 32767 allow-related [dns egress/0/ip4] after-lb: inport == @cnp.dns && ip4.dst == $cnp.dns.Eg0.Ip4 && (tcp.dst == 53 || udp.dst == 53)',
      'to-lport t1 32765 allow-related [dns ingress/0/ip4]: outport == @cnp.dns && ip4.src == $cnp.dns.In0.Ip4 && 8000 <= tcp.dst <= 8999',
    ]);
  });

  it('writes subject port groups, per-family peer address sets and named-port destination sets', () => {
    const { rows } = compileYaml('25.03', ...inventory, ...guardrails);
    expect(rows.portGroups.map((pg) => `${pg.name} [${pg.externalIds['nbgen/rule']}]: ${pg.ports.join(' ')}`)).toEqual([
      'banp.default [subject]: db.prod tool.dev web.prod',
      'cnp.dev_to_prod [subject]: db.prod web.prod',
      'cnp.dns [subject]: db.prod tool.dev web.prod',
    ]);
    expect(rows.addressSets.map((as) => `${as.name} [${as.externalIds['nbgen/kind']} ${as.externalIds['nbgen/rule']}]: ${as.addresses.join(' ')}`)).toEqual([
      'banp.default.In0.Ip4 [BaselineAdminNetworkPolicy ingress/0/ip4]: 10.16.1.10 10.16.1.11 10.16.2.10',
      'banp.default.In0.Ip6 [BaselineAdminNetworkPolicy ingress/0/ip6]: fd00::1:10',
      'cnp.dev_to_prod.In0.Ip4 [ClusterNetworkPolicy ingress/0/ip4]: 10.16.2.10',
      'cnp.dev_to_prod.In0.Tcp8080.Ip4 [ClusterNetworkPolicy ingress/0/tcp-8080/ip4]: 10.16.1.10',
      'cnp.dev_to_prod.In0.Tcp9090.Ip4 [ClusterNetworkPolicy ingress/0/tcp-9090/ip4]: 10.16.1.11',
      'cnp.dev_to_prod.In1.Ip4 [ClusterNetworkPolicy ingress/1/ip4]: 10.16.2.10',
      'cnp.dns.Eg0.Ip4 [ClusterNetworkPolicy egress/0/ip4]: 10.96.0.10/32',
      'cnp.dns.In0.Ip4 [ClusterNetworkPolicy ingress/0/ip4]: 10.16.2.10',
    ]);
  });

  it('resolves an egress named port per destination pod into one address set per protocol and port', () => {
    const { rows } = compileYaml(
      '23.03',
      ...inventory,
      cnp('to-http', { tier: 'Admin', priority: 1, subject: { pods: { podSelector: { matchLabels: { app: 'tool' } } } }, egress: [{ action: 'Accept', to: [{ namespaces: {} }], protocols: [{ destinationNamedPort: 'http' }, { sctp: {} }] }] }),
    );
    expect(aclLines(rows.acls)).toEqual([
      'from-lport 32767 allow-related [to-http egress/0/ip4] after-lb: inport == @cnp.to_http && ' +
        '((ip4.dst == $cnp.to_http.Eg0.Ip4 && sctp) || (ip4.dst == $cnp.to_http.Eg0.Tcp8080.Ip4 && tcp.dst == 8080) || (ip4.dst == $cnp.to_http.Eg0.Tcp9090.Ip4 && tcp.dst == 9090))',
      'from-lport 32767 allow-related [to-http egress/0/ip6] after-lb: inport == @cnp.to_http && ' +
        '((ip6.dst == $cnp.to_http.Eg0.Ip6 && sctp) || (ip6.dst == $cnp.to_http.Eg0.Tcp8080.Ip6 && tcp.dst == 8080))',
    ]);
    expect(rows.addressSets.filter((a) => a.name.includes('Tcp')).map((a) => `${a.name}: ${a.addresses.join(' ')}`)).toEqual([
      'cnp.to_http.Eg0.Tcp8080.Ip4: 10.16.1.10',
      'cnp.to_http.Eg0.Tcp8080.Ip6: fd00::1:10',
      'cnp.to_http.Eg0.Tcp9090.Ip4: 10.16.1.11',
    ]);
  });

  it('excludes a Pass only from rules whose subject shares a pod with it', () => {
    const docs = [
      ...inventory,
      cnp('pass-dev', { tier: 'Admin', priority: 1, subject: { namespaces: { matchLabels: { env: 'dev' } } }, egress: [{ action: 'Pass', to: [{ networks: ['0.0.0.0/0'] }] }] }),
      cnp('deny-prod', { tier: 'Admin', priority: 2, subject: { namespaces: { matchLabels: { env: 'prod' } } }, egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] }),
      cnp('deny-all', { tier: 'Admin', priority: 3, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] }),
    ];
    expect(aclLines(compileYaml('23.03', ...docs).rows.acls)).toEqual([
      'from-lport 32765 drop [deny-all egress/0/ip4] after-lb: inport == @cnp.deny_all && ip4.dst == $cnp.deny_all.Eg0.Ip4 && (!(ip4.src == $cnp.pass_dev_ip4) || !(ip4.dst == $cnp.pass_dev.Eg0.Ip4))',
      'from-lport 32766 drop [deny-prod egress/0/ip4] after-lb: inport == @cnp.deny_prod && ip4.dst == $cnp.deny_prod.Eg0.Ip4',
    ]);
  });

  it('leaves out exclusions a lower rule cannot overlap: other protocols, disjoint peers', () => {
    const docs = [
      ...inventory,
      cnp('tiered', {
        tier: 'Admin',
        priority: 1,
        subject: { namespaces: {} },
        ingress: [
          { name: 'pass-dev-web', action: 'Pass', from: [{ namespaces: { matchLabels: { env: 'dev' } } }], protocols: [{ tcp: { destinationPort: { number: 80 } } }] },
          { name: 'udp-from-dev', action: 'Deny', from: [{ namespaces: { matchLabels: { env: 'dev' } } }], protocols: [{ udp: { destinationPort: { number: 53 } } }] },
          { name: 'from-prod', action: 'Deny', from: [{ namespaces: { matchLabels: { env: 'prod' } } }] },
          { name: 'from-all', action: 'Deny', from: [{ namespaces: {} }] },
        ],
      }),
    ];
    expect(aclLines(compileYaml('23.03', ...docs).rows.acls).filter((l) => l.includes('ip4'))).toEqual([
      'to-lport 32766 drop [tiered ingress/1/ip4]: outport == @cnp.tiered && ip4.src == $cnp.tiered.In1.Ip4 && udp.dst == 53',
      'to-lport 32765 drop [tiered ingress/2/ip4]: outport == @cnp.tiered && ip4.src == $cnp.tiered.In2.Ip4',
      'to-lport 32764 drop [tiered ingress/3/ip4]: outport == @cnp.tiered && ip4.src == $cnp.tiered.In3.Ip4 && ' +
        '(!(ip4.src == $cnp.tiered.In0.Ip4) || ip.proto == {0..255 but 6} || (ip.proto == 6 && !(tcp.dst == 80)))',
    ]);
  });

  it('never emits a row for a peer that selects nothing, and warns about domainNames and host bits', () => {
    const result = compileYaml(
      '23.03',
      ...inventory,
      cnp('odd', {
        tier: 'Baseline',
        priority: 3,
        subject: { namespaces: {} },
        egress: [
          { action: 'Accept', to: [{ domainNames: ['*.example.com'] }] },
          { action: 'Deny', to: [{ networks: ['192.168.7.9/24'] }, { pods: { namespaceSelector: { matchLabels: { env: 'none' } }, podSelector: {} } }] },
        ],
      }),
    );
    expect(aclLines(result.rows.acls)).toEqual([
      'from-lport 1998 drop [odd egress/1/ip4] after-lb: inport == @cnp.odd && ip4.dst == $cnp.odd.Eg1.Ip4',
    ]);
    expect(result.rows.addressSets.map((a) => `${a.name}: ${a.addresses.join(' ')}`)).toEqual(['cnp.odd.Eg1.Ip4: 192.168.7.0/24']);
    expect(result.warnings.map((w) => `${w.code} ${w.path}`)).toEqual([
      'TIER_DOMAIN_NAMES_UNSUPPORTED spec.egress[0].to[0].domainNames',
      'TIER_CIDR_HOST_BITS spec.egress[1].to[0].networks[0]',
    ]);
  });

  it('warns when same-tier, same-priority policies share a pod, and orders them by name', () => {
    const result = compileYaml(
      '25.03',
      ...inventory,
      cnp('zeta', { tier: 'Admin', priority: 4, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
      cnp('alpha', { tier: 'Admin', priority: 4, subject: { pods: { podSelector: { matchLabels: { app: 'db' } } } }, ingress: [{ action: 'Accept', from: [{ namespaces: {} }] }] }),
    );
    expect(result.warnings.map((w) => w.message)).toEqual([
      'ClusterNetworkPolicy/alpha and ClusterNetworkPolicy/zeta share Admin priority 4 and both apply ingress rules to pod prod/db; ClusterNetworkPolicy/alpha is evaluated first (by name)',
    ]);
    expect(result.rows.acls.map((a) => `${a.externalIds['nbgen/name']} ${a.priority}`)).toEqual(['alpha 32767', 'alpha 32767', 'zeta 32766', 'zeta 32766']);
  });

  it('is deterministic and independent of input order; logging options reach the rows', () => {
    const options = optionsFor('23.03', { logging: { 'ClusterNetworkPolicy/dns': { severity: 'info', meter: null } } });
    const a = compileClusterPolicies(modelOf(...inventory, ...guardrails), options);
    const b = compileClusterPolicies(modelOf(...[...guardrails].reverse(), ...[...inventory].reverse()), options);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.rows.acls.filter((x) => x.log).map((x) => `${x.name} ${x.severity}`)).toEqual(['cnp/dns/egress/0 info', 'cnp/dns/ingress/0 info']);
  });
});

describe('matches stay valid OVN syntax', () => {
  it('never tests inport/outport under a negation, however Pass rules and named ports combine', () => {
    const docs = [
      ...inventory,
      ...guardrails,
      cnp('pass-everything', {
        tier: 'Admin',
        priority: 0,
        subject: { pods: { podSelector: { matchLabels: { app: 'web' } } } },
        ingress: [{ action: 'Pass', from: [{ namespaces: {} }], protocols: [{ destinationNamedPort: 'http' }, { udp: {} }] }],
        egress: [{ action: 'Pass', to: [{ pods: { namespaceSelector: {}, podSelector: {} } }], protocols: [{ destinationNamedPort: 'http' }] }],
      }),
      cnp('deny-after', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }], egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0', '::/0'] }] }] }),
    ];
    const { acls } = compileYaml('23.03', ...docs).rows;
    // The subject test comes first; everything from the first negation on must be port-free.
    const negated = acls.filter((a) => a.match.includes('!(')).map((a) => a.match.slice(a.match.indexOf('!(')));
    expect(negated.length).toBeGreaterThan(4);
    expect(negated.filter((n) => /\b(inport|outport)\b/.test(n))).toEqual([]);
    // Parentheses balance in every match (OVN rejects unbalanced or mixed &&/|| without them).
    for (const a of acls) {
      let depth = 0;
      for (const c of a.match) {
        depth += c === '(' ? 1 : c === ')' ? -1 : 0;
        expect(depth).toBeGreaterThanOrEqual(0);
      }
      expect(depth).toBe(0);
    }
  });
});
