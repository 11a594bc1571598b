import { kubeOvnPortName } from '../../compile/options.js';
import { buildAclProgram } from '../../explain/aclProgram.js';
import { explainWithProgram, portAddressesOf } from '../../explain/explainFlow.js';
import type { L4Protocol, Pod } from '../../model/inventory.js';
import type { NetworkPolicy, NetworkPolicyRule } from '../../netpol/networkPolicy.js';
import { policyName, type LintContext } from '../context.js';
import type { LintFinding } from '../finding.js';

/**
 * Probes per rule at most. A rule stops at its first probe no Admin Deny decides, so only a rule
 * the Admin tier overrides (or nearly) runs long; past this many it is left unreported rather than
 * slowing lint on a large cluster.
 */
const MAX_PROBES_PER_RULE = 5000;

/** Ports probed for a rule without ports (it allows every port of every protocol). */
const ANY_PORT_PROBES: readonly { protocol: L4Protocol; port: number }[] = [
  { protocol: 'TCP', port: 1 },
  { protocol: 'TCP', port: 80 },
  { protocol: 'TCP', port: 443 },
  { protocol: 'TCP', port: 8080 },
  { protocol: 'TCP', port: 65535 },
  { protocol: 'UDP', port: 53 },
  { protocol: 'UDP', port: 65535 },
  { protocol: 'SCTP', port: 1 },
];

/**
 * NBG016 admin-deny-overrides-rule: a NetworkPolicy rule whose every allowed peer pod, on every
 * port it allows, is dropped by an Admin-tier Deny first (ClusterNetworkPolicy Admin,
 * AdminNetworkPolicy). The Admin tier decides before any NetworkPolicy, so the rule never takes
 * effect. Judged on the compiled rows, per (selected pod, peer pod, port), the way explain and OVN
 * judge them. Rules with ipBlock peers or no peer pods are left alone (an address outside the
 * cluster cannot be enumerated), as are named ports no pod defines.
 */
export function adminDenyOverrides(ctx: LintContext): LintFinding[] {
  const rows = ctx.options.rows;
  const admin = (kind: string, name: string) => ctx.model.clusterPolicies.find((p) => p.kind === kind && p.name === name)?.tier === 'Admin';
  if (!rows || !ctx.model.clusterPolicies.some((p) => p.tier === 'Admin' && [...p.ingress, ...p.egress].some((r) => r.action === 'Deny'))) return [];
  const portNameFor = ctx.options.portNameFor ?? kubeOvnPortName;
  const program = buildAclProgram(rows, portAddressesOf(ctx.model, portNameFor));
  const findings: LintFinding[] = [];
  for (const policy of ctx.model.networkPolicies) {
    for (const direction of ['ingress', 'egress'] as const) {
      if (!policy.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) continue;
      policy[direction].forEach((rule, r) => {
        const selected = ctx.selectedPods(policy);
        const peers = peerPodsOf(ctx, policy, rule);
        if (selected.length === 0 || peers === null || peers.length === 0) return;
        const deniers = new Set<string>();
        let probes = 0;
        for (const own of selected) {
          for (const peer of peers) {
            if (own === peer) continue;
            const [from, to] = direction === 'ingress' ? [peer, own] : [own, peer];
            for (const probe of portProbes(rule, direction === 'ingress' ? own : peer)) {
              if (++probes > MAX_PROBES_PER_RULE) return;
              const e = explainWithProgram(program, ctx.model, { from: `${from.namespace}/${from.name}`, to: `${to.namespace}/${to.name}`, port: probe.port, protocol: probe.protocol }, { portNameFor });
              const deny = e.verdict === 'deny' ? e.paths[0]?.decidingRows[0]?.origin : undefined;
              if (!deny || deny.kind === 'NetworkPolicy' || !admin(deny.kind, deny.name)) return;
              deniers.add(`${deny.kind} ${deny.name}`);
            }
          }
        }
        if (probes === 0) return;
        findings.push({
          id: 'NBG016',
          check: 'admin-deny-overrides-rule',
          severity: 'warning',
          object: policyName(policy),
          source: policy.source,
          path: `spec.${direction}[${r}]`,
          message:
            `every peer pod and port this rule allows is dropped first by ${[...deniers].sort().join(', ')} in the Admin tier, which ` +
            `decides before any NetworkPolicy: the rule never takes effect.`,
          fix: `Give the Admin policy an Accept or Pass for this traffic above its Deny (Pass hands it to NetworkPolicy), or remove the rule.`,
        });
      });
    }
  }
  return findings;
}

/** The rule's peer pods; null when a peer is an ipBlock or the rule allows all peers. */
function peerPodsOf(ctx: LintContext, policy: NetworkPolicy, rule: NetworkPolicyRule): Pod[] | null {
  if (rule.peers.length === 0 || rule.peers.some((p) => p.type === 'ipBlock')) return null;
  const pods = new Set<Pod>();
  for (const peer of rule.peers) if (peer.type === 'selector') for (const pod of ctx.peerPods(policy.namespace, peer)) pods.add(pod);
  return [...pods];
}

/** The ports the rule allows toward `destination` (named ports resolved on it). */
function portProbes(rule: NetworkPolicyRule, destination: Pod): { protocol: L4Protocol; port: number }[] {
  if (rule.ports.length === 0) return [...ANY_PORT_PROBES];
  return rule.ports.flatMap((p) => {
    if (p.port === null) return [{ protocol: p.protocol, port: 1 }, { protocol: p.protocol, port: 65535 }];
    if (typeof p.port === 'string') {
      const named = destination.containerPorts.find((c) => c.name === p.port && c.protocol === p.protocol);
      return named ? [{ protocol: p.protocol, port: named.port }] : [];
    }
    return p.endPort === null ? [{ protocol: p.protocol, port: p.port }] : [{ protocol: p.protocol, port: p.port }, { protocol: p.protocol, port: p.endPort }];
  });
}
