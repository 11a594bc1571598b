// ClusterNetworkPolicy / AdminNetworkPolicy / BaselineAdminNetworkPolicy end-to-end scenarios, as
// data: the manifests of each case and the probes with the verdict the API promises, written
// from the evaluation model of policy.networking.k8s.io (never from our compiler):
//
//   per connection, egress at the source and ingress at the destination are decided
//   independently and both must allow. Each: Admin tier (policies by ascending priority, rules
//   in written order, first match: Accept allows, Deny drops, Pass leaves the tier) →
//   NetworkPolicy (if one selects the pod for that direction, its verdict is final) →
//   Baseline tier (same; Pass leaves it) → allow.
//
// Cluster: test/e2e/netpol/cluster.ts (namespaces x {env: prod}, y {env: dev}, z; pods a
// {tier: front}, b {tier: back}, c in each; named port `web` = TCP 80 on x/a, x/b, y/a, y/b and
// TCP 81 on the c pods and in z; dual-stack addresses), plus three hosts that are not pods: Nodes node-1 (172.18.0.2, label
// role=worker) and node-2 (172.18.0.3), and an outside server ext (192.0.2.10, 2001:db8::10).
//
// A probe reads `FROM > TO PROTO/PORT[ v6][ reply][ via POD:PORT]: VERDICT`: the first packet of
// a connection from FROM to TO's address; `reply` is the answer of TO to an established connection
// FROM opened (traced as conntrack est+rpl); `via` makes TO a Service VIP whose load balancer
// sends the connection to POD on target PORT.

export interface TierScenario {
  /** The behaviour the scenario pins down (the test name). */
  readonly name: string;
  readonly policies: readonly Record<string, unknown>[];
  readonly probes: readonly string[];
}

const cnp = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name },
  spec,
});
const anp = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha1',
  kind: 'AdminNetworkPolicy',
  metadata: { name },
  spec,
});
const banp = (spec: Record<string, unknown>) => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha1',
  kind: 'BaselineAdminNetworkPolicy',
  metadata: { name: 'default' },
  spec,
});
const np = (namespace: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { namespace, name },
  spec,
});

const ns = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
const pods = (namespace: string, pod?: string) => ({
  pods: { namespaceSelector: ns(namespace), podSelector: pod ? { matchLabels: { pod } } : {} },
});
const inNs = (name: string) => ({ namespaces: ns(name) });
const everyNamespace = { namespaces: {} };
const tcp = (number: number) => ({ tcp: { destinationPort: { number } } });
const udp = (number: number) => ({ udp: { destinationPort: { number } } });
const sctp = (number: number) => ({ sctp: { destinationPort: { number } } });
/** NetworkPolicy isolating every pod of `namespace` for ingress with no allow. */
const npDenyIngress = (namespace: string) => np(namespace, 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
const npDenyEgress = (namespace: string) => np(namespace, 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] });

export const tierScenarios: readonly TierScenario[] = [
  {
    name: 'Admin Deny wins over a NetworkPolicy allow',
    policies: [
      np('x', 'allow-a-from-all', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] }),
      cnp('deny-y-to-x', { tier: 'Admin', priority: 10, subject: inNs('x'), ingress: [{ action: 'Deny', from: [inNs('y')] }] }),
    ],
    probes: ['y/b > x/a tcp/80: drop', 'y/b > x/a tcp/80 v6: drop', 'z/b > x/a tcp/80: allow', 'x/b > x/a udp/81: allow', 'y/b > x/c tcp/80: drop'],
  },
  {
    name: 'Admin Accept wins over a NetworkPolicy default deny',
    policies: [
      npDenyIngress('x'),
      cnp('accept-z-web', { tier: 'Admin', priority: 10, subject: inNs('x'), ingress: [{ action: 'Accept', from: [inNs('z')], protocols: [tcp(80)] }] }),
    ],
    probes: ['z/a > x/b tcp/80: allow', 'z/a > x/b tcp/81: drop', 'z/a > x/b udp/80: drop', 'y/a > x/b tcp/80: drop', 'x/a > y/a tcp/80: allow'],
  },
  {
    name: 'Pass hands the connection to NetworkPolicy, skipping the lower Admin Deny',
    policies: [
      np('x', 'a-from-y', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }] }),
      cnp('guard-x', {
        tier: 'Admin',
        priority: 10,
        subject: inNs('x'),
        ingress: [
          { name: 'y-decided-by-np', action: 'Pass', from: [inNs('y')] },
          { name: 'deny-rest', action: 'Deny', from: [everyNamespace] },
        ],
      }),
    ],
    // y → x/a: passed, the NetworkPolicy allows y. y → x/b: passed, x/b has no NetworkPolicy, no
    // Baseline: allowed by default. z and x itself: denied by the second rule.
    probes: ['y/a > x/a tcp/80: allow', 'y/a > x/b tcp/81: allow', 'z/a > x/a tcp/80: drop', 'x/b > x/a tcp/80: drop', 'x/b > x/a tcp/80 v6: drop'],
  },
  {
    name: 'a Pass limited to TCP 80 leaves other protocols from the same peers to the lower rules',
    policies: [
      npDenyIngress('x'),
      cnp('pass-web', {
        tier: 'Admin',
        priority: 1,
        subject: inNs('x'),
        ingress: [
          { action: 'Pass', from: [inNs('y')], protocols: [tcp(80)] },
          { action: 'Accept', from: [inNs('y')] },
        ],
      }),
    ],
    // TCP 80 from y is passed to the NetworkPolicy (deny); everything else from y is accepted.
    probes: ['y/a > x/a tcp/80: drop', 'y/a > x/a udp/80: allow', 'y/a > x/a sctp/80: allow', 'y/a > x/a tcp/81: allow', 'y/b > x/c udp/80 v6: allow', 'z/a > x/a udp/80: drop'],
  },
  {
    name: 'a Pass limited to a TCP port range and a port leaves the ports around them to the lower rules',
    policies: [
      npDenyIngress('x'),
      cnp('pass-range', {
        tier: 'Admin',
        priority: 1,
        subject: inNs('x'),
        ingress: [
          { action: 'Pass', from: [inNs('y')], protocols: [{ tcp: { destinationPort: { range: { start: 81, end: 90 } } } }, tcp(8080)] },
          { action: 'Accept', from: [inNs('y')] },
        ],
      }),
    ],
    // On 23.03 the Accept row carries "not the Pass": `ip.proto == 6 && !(tcp.dst == 8080) && !(81 <= tcp.dst <= 90)`.
    probes: ['y/a > x/a tcp/81: drop', 'y/a > x/a tcp/90: drop', 'y/a > x/a tcp/8080: drop', 'y/a > x/a tcp/80: allow', 'y/a > x/a tcp/91: allow', 'y/a > x/a udp/85: allow', 'y/b > x/c tcp/85 v6: drop'],
  },
  {
    name: 'a Pass on some pods, limited to TCP 80, cuts only that traffic out of another policy',
    policies: [
      cnp('pass-web-to-xa', { tier: 'Admin', priority: 1, subject: { pods: { namespaceSelector: ns('x'), podSelector: { matchLabels: { pod: 'a' } } } }, ingress: [{ action: 'Pass', from: [inNs('y')], protocols: [tcp(80)] }] }),
      cnp('deny-y', { tier: 'Admin', priority: 2, subject: inNs('x'), ingress: [{ action: 'Deny', from: [inNs('y')] }] }),
    ],
    probes: ['y/a > x/a tcp/80: allow', 'y/a > x/a udp/80: drop', 'y/a > x/a tcp/81: drop', 'y/a > x/b tcp/80: drop', 'y/a > x/a tcp/80 v6: allow', 'y/a > x/a udp/80 v6: drop'],
  },
  {
    name: 'Pass on a pod without NetworkPolicy goes on to the Baseline tier',
    policies: [
      cnp('pass-y-to-xb', { tier: 'Admin', priority: 1, subject: { pods: { namespaceSelector: ns('x'), podSelector: { matchLabels: { pod: 'b' } } } }, ingress: [{ action: 'Pass', from: [inNs('y')] }] }),
      cnp('deny-y-to-x', { tier: 'Admin', priority: 2, subject: inNs('x'), ingress: [{ action: 'Deny', from: [inNs('y')] }] }),
      cnp('baseline-no-81', { tier: 'Baseline', priority: 1, subject: inNs('x'), ingress: [{ action: 'Deny', from: [everyNamespace], protocols: [tcp(81)] }] }),
    ],
    probes: ['y/a > x/b tcp/80: allow', 'y/a > x/b tcp/81: drop', 'y/a > x/c tcp/80: drop', 'z/a > x/c tcp/81: drop', 'z/a > x/c tcp/80: allow'],
  },
  {
    name: 'NetworkPolicy allow overrides a Baseline Deny for the pods it selects',
    policies: [
      np('x', 'a-from-y', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }] }),
      cnp('baseline-deny-all', { tier: 'Baseline', priority: 10, subject: everyNamespace, ingress: [{ action: 'Deny', from: [everyNamespace] }] }),
    ],
    // x/a is isolated by the NetworkPolicy: its verdict is final (y allowed, z not). x/b is not
    // selected by any NetworkPolicy: the Baseline Deny applies.
    probes: ['y/a > x/a tcp/80: allow', 'z/a > x/a tcp/80: drop', 'y/a > x/b tcp/80: drop', 'x/a > z/c udp/80: drop'],
  },
  {
    name: 'Baseline Deny applies to pods no NetworkPolicy selects',
    policies: [cnp('baseline-z-out-of-y', { tier: 'Baseline', priority: 5, subject: inNs('y'), ingress: [{ action: 'Deny', from: [inNs('z')] }] })],
    probes: ['z/a > y/a tcp/80: drop', 'z/c > y/b sctp/81: drop', 'x/a > y/a tcp/80: allow', 'z/a > x/a tcp/80: allow', 'y/a > z/a tcp/80: allow'],
  },
  {
    name: 'lower priority value wins between policies, whatever their names',
    policies: [
      cnp('a-deny-all', { tier: 'Admin', priority: 10, subject: inNs('x'), ingress: [{ action: 'Deny', from: [everyNamespace] }] }),
      cnp('z-accept-y-web', { tier: 'Admin', priority: 5, subject: inNs('x'), ingress: [{ action: 'Accept', from: [inNs('y')], protocols: [tcp(80)] }] }),
    ],
    probes: ['y/b > x/a tcp/80: allow', 'y/b > x/a tcp/81: drop', 'z/b > x/a tcp/80: drop', 'x/c > x/a tcp/80: drop'],
  },
  {
    name: 'rules of one policy apply in written order: an early Deny shadows a later Accept',
    policies: [
      npDenyIngress('x'),
      cnp('ordered', {
        tier: 'Admin',
        priority: 7,
        subject: inNs('x'),
        ingress: [
          { action: 'Deny', from: [inNs('y')], protocols: [tcp(80)] },
          { action: 'Accept', from: [everyNamespace] },
        ],
      }),
    ],
    probes: ['y/a > x/a tcp/80: drop', 'y/a > x/a tcp/81: allow', 'y/a > x/a udp/80: allow', 'z/a > x/a tcp/80: allow'],
  },
  {
    name: 'rules of one policy apply in written order: an early Accept shadows a later Deny',
    policies: [
      cnp('ordered', {
        tier: 'Admin',
        priority: 7,
        subject: inNs('x'),
        ingress: [
          { action: 'Accept', from: [everyNamespace], protocols: [tcp(80)] },
          { action: 'Deny', from: [inNs('y')] },
        ],
      }),
    ],
    probes: ['y/a > x/a tcp/80: allow', 'y/a > x/a tcp/81: drop', 'z/a > x/a tcp/81: allow'],
  },
  {
    name: 'port numbers and inclusive ranges select TCP destination ports',
    policies: [
      cnp('no-high-ports', {
        tier: 'Admin',
        priority: 1,
        subject: { pods: { podSelector: { matchLabels: { pod: 'a' } } } },
        egress: [{ action: 'Deny', to: [inNs('y')], protocols: [{ tcp: { destinationPort: { range: { start: 81, end: 90 } } } }, tcp(8080)] }],
      }),
    ],
    probes: ['x/a > y/b tcp/81: drop', 'x/a > y/b tcp/90: drop', 'x/a > y/b tcp/91: allow', 'x/a > y/b tcp/80: allow', 'x/a > y/b tcp/8080: drop', 'x/a > y/b udp/81: allow', 'x/b > y/b tcp/81: allow'],
  },
  {
    name: 'a named port is resolved on each destination pod (ingress)',
    policies: [cnp('no-web-from-z', { tier: 'Admin', priority: 1, subject: inNs('x'), ingress: [{ action: 'Deny', from: [inNs('z')], protocols: [{ destinationNamedPort: 'web' }] }] })],
    // In x, web is TCP 80 on a and b, TCP 81 on c.
    probes: ['z/a > x/a tcp/80: drop', 'z/a > x/a tcp/81: allow', 'z/a > x/c tcp/81: drop', 'z/a > x/c tcp/80: allow', 'z/a > x/b udp/80: allow'],
  },
  {
    name: 'a named port is resolved on each destination pod (egress)',
    policies: [
      npDenyEgress('z'),
      cnp('z-to-web', { tier: 'Admin', priority: 1, subject: inNs('z'), egress: [{ action: 'Accept', to: [inNs('x')], protocols: [{ destinationNamedPort: 'web' }] }] }),
    ],
    probes: ['z/a > x/b tcp/80: allow', 'z/a > x/b tcp/81: drop', 'z/a > x/c tcp/81: allow', 'z/a > x/c tcp/80: drop', 'z/a > y/a tcp/80: drop'],
  },
  {
    name: 'one named port means different numbers in different namespaces (egress to y and z)',
    policies: [cnp('no-web-out', { tier: 'Admin', priority: 1, subject: { pods: { namespaceSelector: ns('x'), podSelector: { matchLabels: { pod: 'a' } } } }, egress: [{ action: 'Deny', to: [everyNamespace], protocols: [{ destinationNamedPort: 'web' }] }] })],
    // web: TCP 80 on y/a, TCP 81 on z/a.
    probes: ['x/a > y/a tcp/80: drop', 'x/a > y/a tcp/81: allow', 'x/a > z/a tcp/81: drop', 'x/a > z/a tcp/80: allow', 'x/a > z/a tcp/81 v6: drop', 'x/b > z/a tcp/81: allow'],
  },
  {
    name: 'UDP and SCTP rules match only their protocol',
    policies: [cnp('no-udp-sctp', { tier: 'Admin', priority: 3, subject: inNs('y'), ingress: [{ action: 'Deny', from: [inNs('x')], protocols: [udp(80), sctp(81)] }] })],
    probes: ['x/a > y/a udp/80: drop', 'x/a > y/a udp/81: allow', 'x/a > y/a sctp/81: drop', 'x/a > y/a sctp/80: allow', 'x/a > y/a tcp/80: allow', 'x/a > y/a udp/80 v6: drop'],
  },
  {
    name: 'networks 0.0.0.0/0 egress also catches pod-to-pod IPv4 traffic, not IPv6',
    policies: [cnp('x-a-no-ipv4-out', { tier: 'Admin', priority: 1, subject: { pods: { namespaceSelector: ns('x'), podSelector: { matchLabels: { pod: 'a' } } } }, egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] })],
    probes: ['x/a > y/b tcp/80: drop', 'x/a > x/b udp/81: drop', 'x/a > host/ext tcp/443: drop', 'x/a > y/b tcp/80 v6: allow', 'x/a > host/ext tcp/443 v6: allow', 'x/b > y/b tcp/80: allow'],
  },
  {
    name: 'a Pass for pod traffic before a networks Deny keeps pods reachable',
    policies: [
      cnp('outside-only', {
        tier: 'Admin',
        priority: 1,
        subject: inNs('x'),
        egress: [
          { name: 'pods-by-np', action: 'Pass', to: [everyNamespace] },
          { name: 'no-outside', action: 'Deny', to: [{ networks: ['0.0.0.0/0', '::/0'] }] },
        ],
      }),
    ],
    probes: ['x/a > y/b tcp/80: allow', 'x/a > y/b tcp/80 v6: allow', 'x/c > x/a udp/80: allow', 'x/a > host/ext tcp/443: drop', 'x/a > host/ext tcp/443 v6: drop', 'x/a > host/node-1 tcp/10250: drop', 'y/a > host/ext tcp/443: allow'],
  },
  {
    name: 'networks Accept lets an egress-isolated pod reach an outside CIDR on one port',
    policies: [
      npDenyEgress('x'),
      cnp('x-to-ext-https', { tier: 'Admin', priority: 1, subject: inNs('x'), egress: [{ action: 'Accept', to: [{ networks: ['192.0.2.0/24'] }], protocols: [tcp(443)] }] }),
    ],
    probes: ['x/a > host/ext tcp/443: allow', 'x/a > host/ext tcp/80: drop', 'x/a > host/ext tcp/443 v6: drop', 'x/a > y/a tcp/443: drop', 'y/a > host/ext tcp/80: allow'],
  },
  {
    name: 'nodes egress peer matches the addresses of the selected Nodes',
    policies: [cnp('no-kubelet', { tier: 'Admin', priority: 1, subject: inNs('y'), egress: [{ action: 'Deny', to: [{ nodes: { matchLabels: { role: 'worker' } } }] }] })],
    probes: ['y/a > host/node-1 tcp/10250: drop', 'y/a > host/node-1 udp/53: drop', 'y/a > host/node-2 tcp/10250: allow', 'y/a > x/a tcp/80: allow', 'x/a > host/node-1 tcp/10250: allow'],
  },
  {
    name: 'nodes egress Accept with an empty selector reaches every Node from an isolated pod',
    policies: [npDenyEgress('z'), cnp('to-nodes', { tier: 'Admin', priority: 1, subject: inNs('z'), egress: [{ action: 'Accept', to: [{ nodes: {} }] }] })],
    probes: ['z/a > host/node-1 tcp/10250: allow', 'z/b > host/node-2 tcp/6443: allow', 'z/a > x/a tcp/80: drop', 'z/a > host/ext tcp/80: drop'],
  },
  {
    name: 'egress Accept at the source does not override an ingress Deny at the destination',
    policies: [
      cnp('x-a-out', { tier: 'Admin', priority: 1, subject: { pods: { namespaceSelector: ns('x'), podSelector: { matchLabels: { pod: 'a' } } } }, egress: [{ action: 'Accept', to: [inNs('y')] }] }),
      cnp('y-b-in', { tier: 'Admin', priority: 2, subject: { pods: { namespaceSelector: ns('y'), podSelector: { matchLabels: { pod: 'b' } } } }, ingress: [{ action: 'Deny', from: [inNs('x')] }] }),
    ],
    probes: ['x/a > y/b tcp/80: drop', 'x/a > y/a tcp/80: allow', 'x/c > y/b tcp/80: drop', 'z/a > y/b tcp/80: allow'],
  },
  {
    name: 'an egress Deny at the source holds even where the destination Accepts',
    policies: [
      cnp('y-a-in', { tier: 'Admin', priority: 1, subject: { pods: { namespaceSelector: ns('y'), podSelector: { matchLabels: { pod: 'a' } } } }, ingress: [{ action: 'Accept', from: [inNs('x')] }] }),
      cnp('x-b-out', { tier: 'Admin', priority: 2, subject: { pods: { namespaceSelector: ns('x'), podSelector: { matchLabels: { pod: 'b' } } } }, egress: [{ action: 'Deny', to: [inNs('y')] }] }),
    ],
    probes: ['x/b > y/a tcp/80: drop', 'x/a > y/a tcp/80: allow', 'x/b > z/a tcp/80: allow'],
  },
  {
    name: 'replies to an accepted connection pass a reverse-direction Deny and an ingress-isolated client',
    policies: [
      npDenyIngress('y'),
      cnp('x-a-serves-y', { tier: 'Admin', priority: 1, subject: { pods: { namespaceSelector: ns('x'), podSelector: { matchLabels: { pod: 'a' } } } }, ingress: [{ action: 'Accept', from: [inNs('y')], protocols: [tcp(80)] }], egress: [{ action: 'Deny', to: [inNs('y')] }] }),
    ],
    // Accept "accepts the selected traffic, including replies to that traffic"; the Deny is about
    // connections x/a opens, and y's NetworkPolicy about connections into y.
    probes: ['y/a > x/a tcp/80: allow', 'y/a > x/a tcp/80 reply: allow', 'x/a > y/a tcp/80: drop', 'x/a > y/a tcp/40000: drop', 'y/a > x/a tcp/80 v6 reply: allow'],
  },
  {
    name: 'Service traffic is judged after DNAT: rules see the backend pod and its target port',
    policies: [
      cnp('x-a-not-to-y-a', { tier: 'Admin', priority: 1, subject: { pods: { namespaceSelector: ns('x'), podSelector: { matchLabels: { pod: 'a' } } } }, egress: [{ action: 'Deny', to: [pods('y', 'a')], protocols: [tcp(80)] }] }),
      cnp('y-b-not-from-z', { tier: 'Admin', priority: 2, subject: { pods: { namespaceSelector: ns('y'), podSelector: { matchLabels: { pod: 'b' } } } }, ingress: [{ action: 'Deny', from: [inNs('z')], protocols: [tcp(80)] }] }),
    ],
    // Service port 8080, target port 80: the rules name the pod and port 80, never the VIP.
    probes: [
      'x/a > 10.96.0.10 tcp/8080 via y/a:80: drop',
      'x/b > 10.96.0.10 tcp/8080 via y/a:80: allow',
      'z/a > 10.96.0.11 tcp/8080 via y/b:80: drop',
      'x/a > 10.96.0.11 tcp/8080 via y/b:80: allow',
    ],
  },
  {
    name: 'subject pods selects by pod labels across namespaces (namespaceSelector omitted)',
    policies: [cnp('backs', { tier: 'Admin', priority: 1, subject: { pods: { podSelector: { matchLabels: { tier: 'back' } } } }, ingress: [{ action: 'Deny', from: [inNs('z')] }] })],
    probes: ['z/a > x/b tcp/80: drop', 'z/a > y/b tcp/80: drop', 'z/a > x/a tcp/80: allow', 'z/a > z/b tcp/80: drop', 'x/a > y/b tcp/80: allow'],
  },
  {
    name: 'Baseline Pass skips the rest of the Baseline tier: default allow',
    policies: [
      cnp('baseline-pass-z', { tier: 'Baseline', priority: 1, subject: inNs('y'), ingress: [{ action: 'Pass', from: [inNs('z')] }] }),
      cnp('baseline-deny', { tier: 'Baseline', priority: 2, subject: inNs('y'), ingress: [{ action: 'Deny', from: [everyNamespace] }] }),
    ],
    probes: ['z/a > y/a tcp/80: allow', 'z/b > y/c udp/81: allow', 'x/a > y/a tcp/80: drop', 'y/b > y/a tcp/80: drop'],
  },
  {
    name: 'Admin CNP and AdminNetworkPolicy share one priority order',
    policies: [
      npDenyIngress('x'),
      anp('deny-z', { priority: 3, subject: { namespaces: ns('x') }, ingress: [{ action: 'Deny', from: [inNs('z')] }] }),
      cnp('accept-z-80', { tier: 'Admin', priority: 2, subject: inNs('x'), ingress: [{ action: 'Accept', from: [inNs('z')], protocols: [tcp(80)] }] }),
      anp('accept-y', { priority: 4, subject: { namespaces: ns('x') }, ingress: [{ action: 'Allow', from: [inNs('y'), inNs('z')] }] }),
    ],
    probes: ['z/a > x/a tcp/80: allow', 'z/a > x/a tcp/81: drop', 'y/a > x/a tcp/81: allow', 'x/b > x/a tcp/80: drop'],
  },
  {
    name: 'AdminNetworkPolicy Deny wins over a NetworkPolicy allow; Allow wins over its deny',
    policies: [
      np('y', 'allow-all-in', { podSelector: {}, ingress: [{}] }),
      npDenyIngress('z'),
      anp('guard', {
        priority: 50,
        subject: { namespaces: {} },
        ingress: [
          { action: 'Deny', from: [pods('x', 'c')] },
          { action: 'Allow', from: [inNs('x')], ports: [{ portNumber: { protocol: 'TCP', port: 80 } }] },
        ],
      }),
    ],
    probes: ['x/c > y/a tcp/80: drop', 'x/c > z/a tcp/80: drop', 'x/a > z/a tcp/80: allow', 'x/a > z/a tcp/81: drop', 'x/a > y/a tcp/81: allow'],
  },
  {
    name: 'AdminNetworkPolicy Pass goes to NetworkPolicy, then to the BaselineAdminNetworkPolicy',
    policies: [
      np('x', 'a-from-y', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }] }),
      anp('pass-y', { priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Pass', from: [inNs('y')] }] }),
      anp('deny-y', { priority: 2, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [inNs('y')] }] }),
      banp({ subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [inNs('y')] }] }),
    ],
    probes: ['y/a > x/a tcp/80: allow', 'y/a > x/b tcp/80: drop', 'y/a > z/a tcp/80: drop', 'x/a > z/a tcp/80: allow'],
  },
  {
    name: 'AdminNetworkPolicy ports: UDP portNumber, SCTP portRange and a namedPort',
    policies: [
      anp('ports', {
        priority: 9,
        subject: { namespaces: ns('y') },
        ingress: [
          {
            action: 'Deny',
            from: [inNs('x')],
            ports: [{ portNumber: { protocol: 'UDP', port: 81 } }, { portRange: { protocol: 'SCTP', start: 80, end: 81 } }, { namedPort: 'web' }],
          },
        ],
      }),
    ],
    probes: ['x/a > y/a udp/81: drop', 'x/a > y/a udp/80: allow', 'x/a > y/a sctp/80: drop', 'x/a > y/a tcp/80: drop', 'x/a > y/a tcp/81: allow', 'x/a > y/c tcp/81: drop', 'x/a > y/c tcp/80: allow'],
  },
  {
    name: 'BaselineAdminNetworkPolicy: Allow before Deny, overridden by NetworkPolicy',
    policies: [
      np('z', 'z-from-z', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }),
      banp({
        subject: { namespaces: {} },
        ingress: [
          { action: 'Allow', from: [inNs('x')], ports: [{ portNumber: { port: 80 } }] },
          { action: 'Deny', from: [{ namespaces: {} }] },
        ],
      }),
    ],
    probes: ['x/a > y/a tcp/80: allow', 'x/a > y/a tcp/81: drop', 'z/a > y/a tcp/80: drop', 'z/a > z/b tcp/81: allow', 'x/a > z/b tcp/80: drop'],
  },
  {
    name: 'BaselineAdminNetworkPolicy egress: nodes and networks peers',
    policies: [
      banp({
        subject: { namespaces: ns('x') },
        egress: [
          { action: 'Deny', to: [{ nodes: { matchLabels: { role: 'worker' } } }] },
          { action: 'Deny', to: [{ networks: ['192.0.2.0/24'] }], ports: [{ portRange: { start: 1, end: 1024 } }] },
        ],
      }),
    ],
    probes: ['x/a > host/node-1 tcp/10250: drop', 'x/a > host/node-2 tcp/10250: allow', 'x/a > host/ext tcp/443: drop', 'x/a > host/ext tcp/8443: allow', 'y/a > host/node-1 tcp/10250: allow'],
  },
];
