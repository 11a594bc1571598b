// NetworkPolicy end-to-end scenarios, as data: the manifests of each case and the reachability
// Kubernetes promises for them, written from the API semantics (never from our compiler).
// The real-OVN runner (netpol.ovn.test.ts), the explain cross-check and the `nbgen apply`
// reconcile run all read this list, so a scenario added here is checked three ways.
//
// Cluster: see cluster.ts (namespaces x, y, z; pods a, b, c; labels ns/env, pod/tier; named
// ports serve-80-tcp..., and `web` = TCP 80 on a and b of x and y, TCP 81 on the c pods and in z).
import { stringify } from 'yaml';
import type { ManifestSource } from '@ovn-nbgen/core';
import type { Connection } from '../../harness/topology.js';
import { clusterObjects, namedPortOf, type ClusterOptions, type ClusterPod } from './cluster.js';
import { anyPod, inNamespace, type Allow, type Expectations, type PodMatch } from './reachability.js';

export interface NetpolScenario {
  /** The behaviour the scenario pins down (used as the test name). */
  readonly name: string;
  readonly cluster: ClusterOptions;
  /** NetworkPolicy manifests, as the API would receive them. */
  readonly policies: readonly Record<string, unknown>[];
  /** Connections probed between every ordered pair of pods. */
  readonly connections: readonly Connection[];
  /** Kubernetes' verdicts: which pods are isolated, which probes their policies allow. */
  readonly expect: (k8s: Expectations) => void;
}

// ---- building blocks -----------------------------------------------------------------------

const tcp = (port: number, family: 4 | 6 = 4): Connection => ({ protocol: 'tcp', port, family });
const udp = (port: number, family: 4 | 6 = 4): Connection => ({ protocol: 'udp', port, family });
const sctp = (port: number, family: 4 | 6 = 4): Connection => ({ protocol: 'sctp', port, family });

/** Upstream's default probe set: ports 80 and 81 over TCP and UDP. */
export const DEFAULT_CONNECTIONS: readonly Connection[] = [tcp(80), tcp(81), udp(80), udp(81)];

function networkPolicy(namespace: string, name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec };
}

const podLabel = (pod: string) => ({ matchLabels: { pod } });
const nsLabel = (ns: string) => ({ matchLabels: { ns } });

/** Ingress peer is `from`, as the pod match says. */
const from =
  (match: PodMatch): Allow =>
  ({ from: peer }) =>
    typeof match === 'string' ? peer.key === match : match(peer);
/** Egress peer is `to`. */
const to =
  (match: PodMatch): Allow =>
  ({ to: peer }) =>
    typeof match === 'string' ? peer.key === match : match(peer);
const on =
  (protocol: Connection['protocol'], ...ports: number[]): Allow =>
  ({ conn }) =>
    conn.protocol === protocol && ports.includes(conn.port);
const both =
  (...allows: Allow[]): Allow =>
  (probe) =>
    allows.every((allow) => allow(probe));
/** The destination pod serves `name` on the probed protocol and port (named ports resolve per pod). */
const destinationServes =
  (name: string): Allow =>
  ({ to: pod, conn }) =>
    namedPortOf(pod, name, conn.protocol.toUpperCase() as 'TCP' | 'UDP' | 'SCTP') === conn.port;
const named = (pod: ClusterPod, ...names: string[]): boolean => names.includes(pod.name);

const base = { cluster: {}, connections: DEFAULT_CONNECTIONS } as const;

// ---- the scenarios -------------------------------------------------------------------------

export const netpolScenarios: readonly NetpolScenario[] = [
  {
    ...base,
    name: 'without policies every pod reaches every pod',
    policies: [],
    expect: () => {},
  },
  {
    ...base,
    name: 'deny-all ingress (empty podSelector, type Ingress, no rules) isolates the whole namespace',
    policies: [networkPolicy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] })],
    expect: (k8s) => k8s.ingress(inNamespace('x')),
  },
  {
    ...base,
    name: 'an allow-all ingress rule (empty from) adds back everything a deny-all took',
    policies: [
      networkPolicy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
      networkPolicy('x', 'allow-all', { podSelector: {}, ingress: [{}] }),
    ],
    expect: (k8s) => k8s.ingress(inNamespace('x')).ingress(inNamespace('x'), anyPod),
  },
  {
    ...base,
    name: 'podSelector matchLabels peer: x/a accepts only pod b of its own namespace',
    policies: [
      networkPolicy('x', 'allow-b', {
        podSelector: podLabel('a'),
        ingress: [{ from: [{ podSelector: podLabel('b') }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', from('x/b')),
  },
  {
    ...base,
    name: 'namespaceSelector peer alone: x/a accepts every pod of namespace y',
    policies: [
      networkPolicy('x', 'allow-ns-y', {
        podSelector: podLabel('a'),
        ingress: [{ from: [{ namespaceSelector: nsLabel('y') }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', from(inNamespace('y'))),
  },
  {
    ...base,
    name: 'namespaceSelector and podSelector in one peer are AND-ed: only y/b',
    policies: [
      networkPolicy('x', 'allow-y-b', {
        podSelector: podLabel('a'),
        ingress: [{ from: [{ namespaceSelector: nsLabel('y'), podSelector: podLabel('b') }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', from('y/b')),
  },
  {
    ...base,
    name: 'namespaceSelector and podSelector as separate peers are OR-ed: all of y, and x/b',
    policies: [
      networkPolicy('x', 'allow-y-or-b', {
        podSelector: podLabel('a'),
        ingress: [{ from: [{ namespaceSelector: nsLabel('y') }, { podSelector: podLabel('b') }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', from((p) => p.namespace === 'y' || p.key === 'x/b')),
  },
  {
    ...base,
    name: 'matchExpressions In on the peer podSelector: x/b and x/c',
    policies: [
      networkPolicy('x', 'allow-in', {
        podSelector: podLabel('a'),
        ingress: [
          { from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] } }] },
        ],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', from((p) => p.namespace === 'x' && named(p, 'b', 'c'))),
  },
  {
    ...base,
    name: 'matchExpressions NotIn matches pods lacking the label too: every a and c pod',
    policies: [
      networkPolicy('x', 'allow-not-back', {
        podSelector: podLabel('a'),
        ingress: [
          {
            from: [
              {
                namespaceSelector: {},
                podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] },
              },
            ],
          },
        ],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', from((p) => named(p, 'a', 'c'))),
  },
  {
    ...base,
    name: 'matchExpressions Exists on namespace labels: namespaces with an env label (x, y)',
    policies: [
      networkPolicy('x', 'allow-env', {
        podSelector: podLabel('a'),
        ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] } }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', from(inNamespace('x', 'y'))),
  },
  {
    ...base,
    name: 'matchExpressions DoesNotExist on pod labels: every pod without a tier label (the c pods)',
    policies: [
      networkPolicy('x', 'allow-untiered', {
        podSelector: podLabel('a'),
        ingress: [
          {
            from: [
              {
                namespaceSelector: {},
                podSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] },
              },
            ],
          },
        ],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', from((p) => p.name === 'c')),
  },
  {
    ...base,
    name: 'the policy podSelector with matchExpressions selects its targets: y/a and y/b isolated, y/c open',
    policies: [
      networkPolicy('y', 'tiered-from-z', {
        podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] },
        ingress: [{ from: [{ namespaceSelector: nsLabel('z') }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress((p) => p.namespace === 'y' && named(p, 'a', 'b'), from(inNamespace('z'))),
  },
  {
    ...base,
    name: 'empty namespaceSelector with a podSelector: pods labelled a in every namespace',
    policies: [
      networkPolicy('x', 'allow-all-a', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: {}, podSelector: podLabel('a') }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress(inNamespace('x'), from((p) => p.name === 'a')),
  },
  {
    ...base,
    name: 'namespaceSelector on kubernetes.io/metadata.name selects a namespace by name',
    policies: [
      networkPolicy('x', 'allow-z-by-name', {
        podSelector: podLabel('b'),
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'z' } } }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/b', from(inNamespace('z'))),
  },
  {
    ...base,
    name: 'a rule with ports and no from allows every source on those ports only',
    policies: [
      networkPolicy('x', 'allow-81', {
        podSelector: podLabel('a'),
        ingress: [{ ports: [{ protocol: 'TCP', port: 81 }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', on('tcp', 81)),
  },
  {
    ...base,
    name: 'numeric port: the namespace accepts TCP 80 from anywhere and nothing else',
    policies: [
      networkPolicy('x', 'allow-tcp-80', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 80 }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress(inNamespace('x'), on('tcp', 80)),
  },
  {
    ...base,
    name: 'a port without protocol means TCP: UDP 81 stays closed',
    policies: [
      networkPolicy('x', 'allow-81-default-protocol', {
        podSelector: podLabel('c'),
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 81 }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/c', on('tcp', 81)),
  },
  {
    ...base,
    name: 'named port serve-81-udp resolves to UDP 81',
    policies: [
      networkPolicy('y', 'allow-serve-81-udp', {
        podSelector: podLabel('b'),
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 'serve-81-udp' }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('y/b', on('udp', 81)),
  },
  {
    ...base,
    name: 'a named port resolves per destination pod (web: 80 on x/a and x/b, 81 on x/c)',
    policies: [
      networkPolicy('x', 'allow-web', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 'web' }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress(inNamespace('x'), destinationServes('web')),
  },
  {
    ...base,
    name: 'an egress named port resolves on each destination pod, in every namespace (web is 81 in z)',
    policies: [
      networkPolicy('y', 'egress-web', {
        podSelector: podLabel('a'),
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 'web' }] }],
      }),
    ],
    expect: (k8s) => k8s.egress('y/a', destinationServes('web')),
  },
  {
    ...base,
    name: 'endPort opens the inclusive range 80-81 and nothing around it',
    connections: [tcp(79), tcp(80), tcp(81), tcp(82), udp(80)],
    policies: [
      networkPolicy('x', 'allow-80-81', {
        podSelector: podLabel('a'),
        ingress: [{ ports: [{ protocol: 'TCP', port: 80, endPort: 81 }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', on('tcp', 80, 81)),
  },
  {
    ...base,
    name: 'a UDP port rule leaves TCP on the same port closed',
    policies: [
      networkPolicy('z', 'allow-udp-80', {
        podSelector: podLabel('a'),
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 80 }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('z/a', on('udp', 80)),
  },
  {
    ...base,
    name: 'an SCTP port rule opens SCTP 81 only',
    connections: [sctp(80), sctp(81), tcp(81)],
    policies: [
      networkPolicy('x', 'allow-sctp-81', {
        podSelector: podLabel('a'),
        ingress: [{ ports: [{ protocol: 'SCTP', port: 81 }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', on('sctp', 81)),
  },
  {
    ...base,
    name: 'a protocol without port opens every port of that protocol',
    connections: [tcp(80), udp(80), udp(81), udp(5353)],
    policies: [
      networkPolicy('x', 'allow-all-udp', {
        podSelector: podLabel('a'),
        ingress: [{ ports: [{ protocol: 'UDP' }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', ({ conn }) => conn.protocol === 'udp'),
  },
  {
    ...base,
    name: 'rules of one policy add up: y on TCP 80, z on UDP 81',
    policies: [
      networkPolicy('x', 'two-rules', {
        podSelector: podLabel('a'),
        ingress: [
          { from: [{ namespaceSelector: nsLabel('y') }], ports: [{ protocol: 'TCP', port: 80 }] },
          { from: [{ namespaceSelector: nsLabel('z') }], ports: [{ protocol: 'UDP', port: 81 }] },
        ],
      }),
    ],
    expect: (k8s) =>
      k8s.ingress(
        'x/a',
        both(from(inNamespace('y')), on('tcp', 80)),
        both(from(inNamespace('z')), on('udp', 81)),
      ),
  },
  {
    ...base,
    name: 'policies on one pod add up: all of y, plus z on UDP 81',
    policies: [
      networkPolicy('x', 'from-y', {
        podSelector: podLabel('a'),
        ingress: [{ from: [{ namespaceSelector: nsLabel('y') }] }],
      }),
      networkPolicy('x', 'from-z-udp-81', {
        podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
        ingress: [{ from: [{ namespaceSelector: nsLabel('z') }], ports: [{ protocol: 'UDP', port: 81 }] }],
      }),
    ],
    expect: (k8s) =>
      k8s.ingress('x/a', from(inNamespace('y'))).ingress('x/a', both(from(inNamespace('z')), on('udp', 81))),
  },
  {
    ...base,
    name: 'ingress ipBlock with except: the pod range minus namespace y',
    policies: [
      networkPolicy('x', 'allow-block', {
        podSelector: podLabel('a'),
        ingress: [{ from: [{ ipBlock: { cidr: '10.16.0.0/16', except: ['10.16.2.0/24'] } }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', from((p) => p.namespace !== 'y')),
  },
  {
    ...base,
    name: 'egress ipBlock with except: namespace z range minus z/b',
    policies: [
      networkPolicy('x', 'egress-block', {
        podSelector: podLabel('a'),
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.16.3.0/24', except: ['10.16.3.11/32'] } }] }],
      }),
    ],
    expect: (k8s) => k8s.egress('x/a', to((p) => p.namespace === 'z' && p.name !== 'b')),
  },
  {
    name: 'dual-stack: a selector peer allows both IPv4 and IPv6',
    cluster: { dualStack: true },
    connections: [tcp(80), tcp(80, 6), udp(81, 6)],
    policies: [
      networkPolicy('x', 'allow-ns-y', {
        podSelector: podLabel('a'),
        ingress: [{ from: [{ namespaceSelector: nsLabel('y') }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', from(inNamespace('y'))),
  },
  {
    name: 'dual-stack: an IPv6 ipBlock with except allows IPv6 only, minus namespace z',
    cluster: { dualStack: true },
    connections: [tcp(80), tcp(80, 6), udp(80, 6)],
    policies: [
      networkPolicy('x', 'allow-v6-block', {
        podSelector: podLabel('a'),
        ingress: [{ from: [{ ipBlock: { cidr: 'fd00:10:16::/64', except: ['fd00:10:16::3:0/112'] } }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', both(({ conn }) => conn.family === 6, from((p) => p.namespace !== 'z'))),
  },
  {
    name: 'dual-stack: egress deny-all drops IPv4 and IPv6',
    cluster: { dualStack: true },
    connections: [tcp(80), udp(81, 6)],
    policies: [networkPolicy('z', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] })],
    expect: (k8s) => k8s.egress(inNamespace('z')),
  },
  {
    ...base,
    name: 'egress deny-all (type Egress, no rules) keeps the namespace from sending anywhere',
    policies: [networkPolicy('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] })],
    expect: (k8s) => k8s.egress(inNamespace('x')),
  },
  {
    ...base,
    name: 'egress to specific pods and port: x/a reaches only y/b on TCP 80',
    policies: [
      networkPolicy('x', 'egress-y-b', {
        podSelector: podLabel('a'),
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: nsLabel('y'), podSelector: podLabel('b') }],
            ports: [{ protocol: 'TCP', port: 80 }],
          },
        ],
      }),
    ],
    expect: (k8s) => k8s.egress('x/a', both(to('y/b'), on('tcp', 80))),
  },
  {
    ...base,
    name: 'ingress and egress in one policy: x/a accepts from y and sends only to z',
    policies: [
      networkPolicy('x', 'both-ways', {
        podSelector: podLabel('a'),
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ namespaceSelector: nsLabel('y') }] }],
        egress: [{ to: [{ namespaceSelector: nsLabel('z') }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', from(inNamespace('y'))).egress('x/a', to(inNamespace('z'))),
  },
  {
    ...base,
    name: 'namespace isolation: both directions denied except inside namespace x',
    policies: [
      networkPolicy('x', 'same-namespace-only', {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      }),
    ],
    expect: (k8s) =>
      k8s.ingress(inNamespace('x'), from(inNamespace('x'))).egress(inNamespace('x'), to(inNamespace('x'))),
  },
  {
    ...base,
    name: 'policyTypes omitted with egress rules defaults to Ingress+Egress: ingress is denied',
    policies: [
      networkPolicy('x', 'egress-only-rules', {
        podSelector: podLabel('b'),
        egress: [{ to: [{ namespaceSelector: nsLabel('y') }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/b').egress('x/b', to(inNamespace('y'))),
  },
  {
    ...base,
    name: 'policyTypes omitted with an empty egress list isolates ingress only (Egress needs egress rules)',
    policies: [networkPolicy('y', 'empty-lists', { podSelector: podLabel('a'), ingress: [], egress: [] })],
    expect: (k8s) => k8s.ingress('y/a'),
  },
  {
    ...base,
    name: 'an explicitly empty from list allows every source, like an absent one',
    policies: [
      networkPolicy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
      networkPolicy('x', 'empty-from', { podSelector: podLabel('c'), ingress: [{ from: [], ports: [{ protocol: 'UDP', port: 80 }] }] }),
    ],
    expect: (k8s) => k8s.ingress(inNamespace('x')).ingress('x/c', on('udp', 80)),
  },
  {
    ...base,
    name: 'policyTypes [Ingress] ignores the egress rules of the same policy',
    policies: [
      networkPolicy('x', 'ingress-only', {
        podSelector: podLabel('b'),
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: nsLabel('z') }] }],
        egress: [{ to: [{ podSelector: podLabel('c') }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/b', from(inNamespace('z'))),
  },
  {
    ...base,
    name: 'a named port no destination pod serves for the protocol allows nothing (web is TCP only)',
    policies: [
      networkPolicy('x', 'allow-web-udp', {
        podSelector: podLabel('b'),
        ingress: [{ ports: [{ protocol: 'UDP', port: 'web' }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/b'),
  },
  {
    ...base,
    name: 'ipBlock except does not leak into a selector peer of the same rule',
    policies: [
      networkPolicy('x', 'block-or-selector', {
        podSelector: podLabel('a'),
        ingress: [
          {
            from: [
              { ipBlock: { cidr: '10.16.0.0/16', except: ['10.16.2.0/24'] } },
              { namespaceSelector: nsLabel('y'), podSelector: podLabel('b') },
            ],
          },
        ],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/a', from((p) => p.namespace !== 'y' || p.key === 'y/b')),
  },
  {
    ...base,
    name: 'an ipBlock /32 with a port: one source pod on UDP 80',
    policies: [
      networkPolicy('y', 'one-host', {
        podSelector: {},
        ingress: [{ from: [{ ipBlock: { cidr: '10.16.3.12/32' } }], ports: [{ protocol: 'UDP', port: 80 }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress(inNamespace('y'), both(from('z/c'), on('udp', 80))),
  },
  {
    ...base,
    name: 'matchLabels and matchExpressions in one selector are AND-ed',
    policies: [
      networkPolicy('z', 'prod-front', {
        podSelector: podLabel('b'),
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { env: 'prod' } },
                podSelector: {
                  matchLabels: { tier: 'front' },
                  matchExpressions: [{ key: 'pod', operator: 'In', values: ['a', 'c'] }],
                },
              },
            ],
          },
        ],
      }),
    ],
    expect: (k8s) => k8s.ingress('z/b', from('x/a')),
  },
  {
    ...base,
    name: 'a connection needs both ends: x may send only to y, y accepts only from z',
    policies: [
      networkPolicy('x', 'egress-to-y', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: nsLabel('y') }] }],
      }),
      networkPolicy('y', 'ingress-from-z', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: nsLabel('z') }] }],
      }),
    ],
    expect: (k8s) =>
      k8s.egress(inNamespace('x'), to(inNamespace('y'))).ingress(inNamespace('y'), from(inNamespace('z'))),
  },
  {
    ...base,
    name: 'endPort on UDP opens the range for UDP only',
    connections: [udp(80), udp(81), udp(82), tcp(81)],
    policies: [
      networkPolicy('y', 'udp-range', {
        podSelector: podLabel('c'),
        ingress: [{ ports: [{ protocol: 'UDP', port: 81, endPort: 82 }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('y/c', on('udp', 81, 82)),
  },
  {
    name: 'dual-stack: egress to ipBlock 0.0.0.0/0 allows all IPv4 and no IPv6',
    cluster: { dualStack: true },
    connections: [tcp(80), tcp(80, 6)],
    policies: [
      networkPolicy('y', 'egress-any-v4', {
        podSelector: podLabel('a'),
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
      }),
    ],
    expect: (k8s) => k8s.egress('y/a', ({ conn }) => conn.family === 4),
  },
  {
    name: 'dual-stack: a named port applies to both families',
    cluster: { dualStack: true },
    connections: [tcp(80), tcp(81), tcp(80, 6), tcp(81, 6)],
    policies: [
      networkPolicy('z', 'web-both-families', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 'web' }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress(inNamespace('z'), destinationServes('web')),
  },
  {
    ...base,
    name: 'several ipBlocks in one rule are OR-ed, each with its own except',
    policies: [
      networkPolicy('y', 'two-blocks', {
        podSelector: podLabel('a'),
        ingress: [
          {
            from: [
              { ipBlock: { cidr: '10.16.1.0/24', except: ['10.16.1.10/32'] } },
              { ipBlock: { cidr: '10.16.3.0/24' } },
            ],
          },
        ],
      }),
    ],
    expect: (k8s) => k8s.ingress('y/a', from((p) => (p.namespace === 'x' && p.name !== 'a') || p.namespace === 'z')),
  },
  {
    ...base,
    name: 'an ipBlock written with host bits (10.16.3.77/24) means its network',
    policies: [
      networkPolicy('x', 'host-bits', {
        podSelector: podLabel('c'),
        ingress: [{ from: [{ ipBlock: { cidr: '10.16.3.77/24' } }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('x/c', from(inNamespace('z'))),
  },
  {
    ...base,
    name: 'an ingress named port with an ipBlock peer resolves on each selected pod',
    policies: [
      networkPolicy('x', 'block-web', {
        podSelector: {},
        ingress: [{ from: [{ ipBlock: { cidr: '10.16.0.0/16' } }], ports: [{ protocol: 'TCP', port: 'web' }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress(inNamespace('x'), destinationServes('web')),
  },
  {
    ...base,
    name: 'policies named allow.web and allow-web are two policies (names must not collide in OVN)',
    policies: [
      networkPolicy('x', 'allow.web', {
        podSelector: podLabel('a'),
        ingress: [{ from: [{ namespaceSelector: nsLabel('y') }] }],
      }),
      networkPolicy('x', 'allow-web', {
        podSelector: podLabel('b'),
        ingress: [{ from: [{ namespaceSelector: nsLabel('z') }], ports: [{ protocol: 'UDP', port: 81 }] }],
      }),
    ],
    expect: (k8s) =>
      k8s.ingress('x/a', from(inNamespace('y'))).ingress('x/b', both(from(inNamespace('z')), on('udp', 81))),
  },
  {
    ...base,
    name: 'a policy with a 253-character name (longer than OVN names should be) still applies',
    policies: [
      networkPolicy('z', `${'very-long-policy-name.'.repeat(11)}${'x'.repeat(253 - 22 * 11)}`, {
        podSelector: podLabel('c'),
        ingress: [{ from: [{ podSelector: podLabel('a') }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('z/c', from('z/a')),
  },
  {
    ...base,
    name: 'a peer that selects no pod leaves the target isolated with nothing allowed',
    policies: [
      networkPolicy('y', 'from-nobody', {
        podSelector: podLabel('c'),
        ingress: [{ from: [{ podSelector: podLabel('nobody') }] }],
      }),
    ],
    expect: (k8s) => k8s.ingress('y/c'),
  },
  {
    ...base,
    name: 'a policy that selects no pod changes nothing',
    policies: [networkPolicy('z', 'deny-nobody', { podSelector: podLabel('nobody'), policyTypes: ['Ingress', 'Egress'] })],
    expect: () => {},
  },
];

// ---- manifests for the runners -------------------------------------------------------------

/** Cluster objects and policies of a scenario, as plain Kubernetes objects. */
export function scenarioObjects(scenario: NetpolScenario): Record<string, unknown>[] {
  return [...clusterObjects(scenario.cluster), ...scenario.policies];
}

/** The scenario as manifest files (multi-document YAML), what `loadModel` and `nbgen` read. */
export function scenarioSources(scenario: NetpolScenario): ManifestSource[] {
  const yaml = (objects: readonly Record<string, unknown>[]): string =>
    objects.map((o) => stringify(o)).join('---\n');
  return [
    { name: 'cluster.yaml', text: yaml(clusterObjects(scenario.cluster)) },
    { name: 'policies.yaml', text: yaml(scenario.policies) },
  ];
}
