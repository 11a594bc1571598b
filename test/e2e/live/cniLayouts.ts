// NB rows written the way two other CNIs write them, by bash scripts of ovn-nbctl commands, so
// explain --db can be judged on rows nbgen did not write:
//  - Kube-OVN (../shared/reference/kube-ovn-acl.md §1–§3): a port group `<name>.<ns>` per policy
//    (external_ids np=NS/NAME), default drop 2000 and allow 2001 at tier 2, address sets
//    `<pg>.<dir>.allow.IPv4.<i>` and always-empty `...except...`, ipBlocks inlined with their
//    excepts, egress rows with apply-after-lb; subnet ACLs on the logical switch.
//  - ovn-kubernetes (docs/design/acls.md, libovsdb/ops/db_object_types.go): per-namespace default
//    deny port groups (`<ns>_ingressDefaultDeny`, drop 1000 and arp/nd allow 1001), a port group
//    per policy with allow-related 1001 rows naming the policy in k8s.ovn.org/owner-type and
//    k8s.ovn.org/name=NS:NAME; egress rows with apply-after-lb.
import type { ClusterPod } from '../netpol/cluster.js';

export interface PeerSpec {
  /** Pods this peer selects; with `cidr` absent and `pods` absent: every address. */
  readonly pods?: (pod: ClusterPod) => boolean;
  readonly cidr?: { readonly cidr: string; readonly except?: readonly string[] };
}

export interface RuleSpec {
  /** Empty: from/to everywhere. */
  readonly peers: readonly PeerSpec[];
  /** TCP destination ports; absent: every port. */
  readonly ports?: readonly number[];
}

export interface PolicyCase {
  readonly name: string;
  readonly namespace: string;
  readonly select: (pod: ClusterPod) => boolean;
  readonly ingress?: readonly RuleSpec[];
  readonly egress?: readonly RuleSpec[];
  /** Kube-OVN subnet ACLs on the switch: [direction, priority, match, action]. */
  readonly subnetAcls?: readonly (readonly [string, number, string, string])[];
}

export type Layout = 'kube-ovn' | 'ovn-kubernetes';

export const portNameOf: Record<Layout, (pod: { namespace: string; name: string }) => string> = {
  'kube-ovn': (p) => `${p.name}.${p.namespace}`,
  'ovn-kubernetes': (p) => `${p.namespace}_${p.name}`,
};

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

interface AclSpec {
  readonly owner: { readonly table: 'Port_Group' | 'Logical_Switch'; readonly name: string };
  readonly direction: 'from-lport' | 'to-lport';
  readonly priority: number;
  readonly match: string;
  readonly action: string;
  readonly name?: string;
  readonly afterLb?: boolean;
  readonly externalIds: Readonly<Record<string, string>>;
}

function aclCommand(acl: AclSpec, tiers: boolean): string {
  const columns = [
    `direction=${acl.direction}`,
    `priority=${acl.priority}`,
    `match=${q(JSON.stringify(acl.match))}`,
    `action=${acl.action}`,
    ...(acl.name ? [`name=${q(JSON.stringify(acl.name))}`] : []),
    ...(acl.afterLb ? ['options:apply-after-lb=true'] : []),
    ...(tiers ? ['tier=2'] : []),
    ...Object.entries(acl.externalIds).map(([k, v]) => `external_ids:${q(JSON.stringify(k))}=${q(JSON.stringify(v))}`),
  ];
  return `ovn-nbctl -- --id=@acl create ACL ${columns.join(' ')} -- add ${acl.owner.table} ${acl.owner.name} acls @acl`;
}

function portGroupCommands(name: string, ports: readonly string[], externalIds: Record<string, string>): string[] {
  const ids = Object.entries(externalIds).map(([k, v]) => `external_ids:${q(JSON.stringify(k))}=${q(JSON.stringify(v))}`);
  return [`ovn-nbctl create Port_Group name=${name} ${ids.join(' ')}`, ...(ports.length > 0 ? [`ovn-nbctl pg-set-ports ${name} ${ports.join(' ')}`] : [])];
}

function addressSetCommand(name: string, addresses: readonly string[], externalIds: Record<string, string>): string {
  const ids = Object.entries(externalIds).map(([k, v]) => `external_ids:${q(JSON.stringify(k))}=${q(JSON.stringify(v))}`);
  const set = addresses.length > 0 ? ` addresses=${q(addresses.map((a) => JSON.stringify(a)).join(','))}` : '';
  return `ovn-nbctl create Address_Set name=${name}${set} ${ids.join(' ')}`;
}

function ipBlockMatch(field: string, cidr: NonNullable<PeerSpec['cidr']>): string {
  const except = cidr.except ?? [];
  return except.length > 0 ? `${field} == ${cidr.cidr} && ${field} != {${except.join(', ')}}` : `${field} == ${cidr.cidr}`;
}

/** Kube-OVN's rows for one policy (standard enforcement, IPv4). */
export function kubeOvnScript(policy: PolicyCase, pods: readonly ClusterPod[], tiers: boolean): string[] {
  const pg = `${policy.name}.${policy.namespace}`.replace(/-/g, '.');
  const key = `${policy.namespace}/${policy.name}`;
  const selected = pods.filter((p) => p.namespace === policy.namespace && policy.select(p)).map(portNameOf['kube-ovn']);
  const out = portGroupCommands(pg, selected, { np: key, vendor: 'kube-ovn' });
  for (const [dir, rules] of [['ingress', policy.ingress], ['egress', policy.egress]] as const) {
    if (rules === undefined) continue;
    const ingress = dir === 'ingress';
    const direction = ingress ? 'to-lport' : 'from-lport';
    const portMatch = ingress ? `outport == @${pg}` : `inport == @${pg}`;
    const field = ingress ? 'ip4.src' : 'ip4.dst';
    const base = { owner: { table: 'Port_Group' as const, name: pg }, direction, afterLb: !ingress, externalIds: { parent: pg, vendor: 'kube-ovn' } } as const;
    out.push(aclCommand({ ...base, priority: 2000, match: `${portMatch} && ip`, action: 'drop', name: key }, tiers));
    const indexes = rules.length === 0 ? ['all'] : rules.map((_, i) => String(i));
    indexes.forEach((index, i) => {
      const rule = rules[i];
      const allowSet = `${pg}.${dir}.allow.IPv4.${index}`;
      const exceptSet = `${pg}.${dir}.except.IPv4.${index}`;
      const selectorPeers = rule ? rule.peers.filter((p) => p.cidr === undefined) : [];
      const addresses =
        rule && rule.peers.length === 0
          ? ['0.0.0.0/0']
          : pods.filter((pod) => selectorPeers.some((peer) => peer.pods?.(pod) ?? true)).map((pod) => pod.ipv4);
      out.push(addressSetCommand(allowSet, addresses, { np: `${key}/${dir}`, vendor: 'kube-ovn' }));
      out.push(addressSetCommand(exceptSet, [], { np: `${key}/${dir}`, vendor: 'kube-ovn' }));
      const l4 = rule?.ports ? rule.ports.map((p) => ` && tcp.dst == ${p}`) : [''];
      if (rule === undefined || addresses.length > 0) {
        for (const ports of l4) {
          out.push(aclCommand({ ...base, priority: 2001, action: 'allow-related', name: `np/${pg}/${dir}/IPv4/${index}`, match: `${portMatch} && ip && ${field} == $${allowSet} && ${field} != $${exceptSet}${ports}` }, tiers));
        }
      }
      const blocks = rule?.peers.flatMap((p) => (p.cidr ? [p.cidr] : [])) ?? [];
      if (blocks.length > 0) {
        const ored = blocks.map((b) => ((b.except ?? []).length > 0 ? `(${ipBlockMatch(field, b)})` : ipBlockMatch(field, b))).join(' || ');
        for (const ports of l4) {
          out.push(aclCommand({ ...base, priority: 2001, action: 'allow-related', name: `np/${pg}/${dir}/IPv4/${index}/ipBlock`, match: `${portMatch} && ip && (${ored})${ports}` }, tiers));
        }
      }
    });
  }
  for (const [direction, priority, match, action] of policy.subnetAcls ?? []) {
    out.push(aclCommand({ owner: { table: 'Logical_Switch', name: 'ovn-default' }, direction: direction as 'to-lport', priority, match, action, externalIds: { parent: 'ovn-default', subnet: 'ovn-default', vendor: 'kube-ovn' } }, tiers));
  }
  return out;
}

/** ovn-kubernetes' rows for one policy (IPv4): shared default-deny groups, a group per policy. */
export function ovnKubernetesScript(policy: PolicyCase, pods: readonly ClusterPod[], tiers: boolean): string[] {
  const ns = policy.namespace;
  const selected = pods.filter((p) => p.namespace === ns && policy.select(p)).map(portNameOf['ovn-kubernetes']);
  const pg = `a${fnv(`${ns}_${policy.name}`)}`;
  const out = portGroupCommands(pg, selected, { 'k8s.ovn.org/owner-type': 'NetworkPolicy', 'k8s.ovn.org/name': `${ns}:${policy.name}` });
  let sets = 0;
  for (const [dir, rules] of [['Ingress', policy.ingress], ['Egress', policy.egress]] as const) {
    if (rules === undefined) continue;
    const ingress = dir === 'Ingress';
    const deny = `a${fnv(ns)}_${dir.toLowerCase()}DefaultDeny`;
    out.push(...portGroupCommands(deny, selected, { 'k8s.ovn.org/owner-type': 'NetpolNamespace', 'k8s.ovn.org/name': ns, direction: dir }));
    const portMatch = ingress ? `outport == @${deny}` : `inport == @${deny}`;
    const direction = ingress ? 'to-lport' : 'from-lport';
    const denyIds = { 'k8s.ovn.org/owner-type': 'NetpolNamespace', 'k8s.ovn.org/name': ns, direction: dir };
    const denyBase = { owner: { table: 'Port_Group' as const, name: deny }, direction, afterLb: !ingress } as const;
    out.push(aclCommand({ ...denyBase, priority: 1000, match: portMatch, action: 'drop', externalIds: { ...denyIds, type: 'defaultDeny' } }, tiers));
    out.push(aclCommand({ ...denyBase, priority: 1001, match: `${portMatch} && (arp || nd)`, action: 'allow', externalIds: { ...denyIds, type: 'arpAllow' } }, tiers));
    const field = ingress ? 'ip4.src' : 'ip4.dst';
    const policyPort = ingress ? `outport == @${pg}` : `inport == @${pg}`;
    rules.forEach((rule, i) => {
      const ids = { 'k8s.ovn.org/owner-type': 'NetworkPolicy', 'k8s.ovn.org/name': `${ns}:${policy.name}`, direction: dir, 'gress-index': String(i) };
      const l4 = rule.ports ? `((tcp && ( tcp.dst == ${rule.ports.join(' || tcp.dst == ')} )))` : null;
      const withL4 = (m: string): string => (l4 ? `${m} && ${l4}` : m);
      const base = { owner: { table: 'Port_Group' as const, name: pg }, direction, afterLb: !ingress, priority: 1001, action: 'allow-related' } as const;
      const selectors = rule.peers.filter((p) => p.cidr === undefined);
      if (rule.peers.length === 0) {
        out.push(aclCommand({ ...base, match: withL4(`ip4 && ${policyPort}`), externalIds: { ...ids, 'ip-block-index': '-1' } }, tiers));
      } else if (selectors.length > 0) {
        const set = `a${fnv(`${pg}/${dir}/${i}/${sets++}`)}`;
        const addresses = pods.filter((pod) => selectors.some((peer) => peer.pods?.(pod) ?? true)).map((pod) => pod.ipv4);
        out.push(addressSetCommand(set, addresses, { 'k8s.ovn.org/owner-type': 'PodSelector', 'k8s.ovn.org/name': `${pg}/${dir}/${i}`, 'ip-family': 'v4' }));
        out.push(aclCommand({ ...base, match: withL4(`${field} == {$${set}} && ${policyPort}`), externalIds: { ...ids, 'ip-block-index': '-1' } }, tiers));
      }
      rule.peers.forEach((peer, b) => {
        if (!peer.cidr) return;
        out.push(aclCommand({ ...base, match: withL4(`${ipBlockMatch(field, peer.cidr)} && ${policyPort}`), externalIds: { ...ids, 'ip-block-index': String(b) } }, tiers));
      });
    });
  }
  return out;
}

function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(10);
}

const inNs = (ns: string) => (p: ClusterPod) => p.namespace === ns;
const all = () => true;
const label = (k: string, v: string) => (p: ClusterPod) => p.labels[k] === v;

/** Twenty-odd policies, each judged alone on the nine pods of the netpol cluster. */
export const POLICY_CASES: readonly PolicyCase[] = [
  { name: 'deny-all-ingress', namespace: 'x', select: all, ingress: [] },
  { name: 'deny-all-egress', namespace: 'x', select: all, egress: [] },
  { name: 'allow-same-namespace', namespace: 'x', select: all, ingress: [{ peers: [{ pods: inNs('x') }] }] },
  { name: 'allow-from-y-80', namespace: 'x', select: all, ingress: [{ peers: [{ pods: inNs('y') }], ports: [80] }] },
  { name: 'allow-front-81', namespace: 'x', select: label('pod', 'a'), ingress: [{ peers: [{ pods: label('tier', 'front') }], ports: [81] }] },
  { name: 'ipblock-except', namespace: 'x', select: all, ingress: [{ peers: [{ cidr: { cidr: '10.16.0.0/16', except: ['10.16.2.0/24'] } }] }] },
  { name: 'ipblock-except-host', namespace: 'x', select: all, ingress: [{ peers: [{ cidr: { cidr: '10.16.1.0/24', except: ['10.16.1.10/32'] } }], ports: [80] }] },
  { name: 'egress-to-z', namespace: 'x', select: all, egress: [{ peers: [{ pods: inNs('z') }] }] },
  { name: 'egress-to-back-80', namespace: 'y', select: all, egress: [{ peers: [{ pods: label('tier', 'back') }], ports: [80] }] },
  { name: 'egress-ipblock', namespace: 'y', select: all, egress: [{ peers: [{ cidr: { cidr: '10.16.3.0/24', except: ['10.16.3.12/32'] } }] }] },
  { name: 'both-directions', namespace: 'x', select: label('pod', 'a'), ingress: [{ peers: [{ pods: (p) => p.key === 'x/b' }] }], egress: [{ peers: [{ pods: inNs('y') }] }] },
  { name: 'any-peer-80', namespace: 'z', select: all, ingress: [{ peers: [], ports: [80] }] },
  { name: 'egress-any-81', namespace: 'z', select: all, egress: [{ peers: [], ports: [81] }] },
  { name: 'two-rules', namespace: 'x', select: all, ingress: [{ peers: [{ pods: (p) => p.key === 'x/c' }], ports: [80] }, { peers: [{ pods: (p) => p.key === 'y/a' }], ports: [81] }] },
  { name: 'front-from-x', namespace: 'y', select: label('tier', 'front'), ingress: [{ peers: [{ pods: inNs('x') }] }] },
  { name: 'c-egress-mixed', namespace: 'z', select: label('pod', 'c'), egress: [{ peers: [{ pods: (p) => p.key === 'x/a' }, { cidr: { cidr: '10.16.2.0/24' } }] }] },
  { name: 'selector-and-ipblock', namespace: 'x', select: all, ingress: [{ peers: [{ pods: (p) => p.key === 'y/b' }, { cidr: { cidr: '10.16.3.0/24', except: ['10.16.3.11/32'] } }] }] },
  { name: 'selects-no-peer', namespace: 'y', select: all, ingress: [{ peers: [{ pods: label('pod', 'none') }] }] },
  { name: 'z-isolated-egress', namespace: 'z', select: all, ingress: [{ peers: [] }], egress: [] },
  { name: 'from-z-80-81', namespace: 'y', select: label('pod', 'b'), ingress: [{ peers: [{ pods: inNs('z') }], ports: [80, 81] }] },
  {
    name: 'with-subnet-acls',
    namespace: 'x',
    select: all,
    ingress: [{ peers: [{ pods: inNs('x') }] }],
    subnetAcls: [
      ['to-lport', 3000, 'ip4.src == 10.16.3.10 && tcp.dst == 81', 'drop'],
      ['from-lport', 1900, 'ip4.src == 10.16.2.0/24 && ip4.dst == 10.16.3.0/24', 'reject'],
    ],
  },
];
