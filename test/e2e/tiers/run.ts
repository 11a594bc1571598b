// Runs one tiered-policy scenario on a real OVN: manifests → loadModel → compile (NetworkPolicy
// and tiered rows together) → exported ovn-nbctl script → ovn-northd → ovn-trace per probe.
// Returns every probe line with the verdict OVN gave, to compare whole with the expected lines.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  capabilitiesForOvnVersion,
  compile,
  kubeOvnPortName,
  loadModel,
  renderNbctlScript,
  type CompileOptions,
  type ManifestSource,
} from '@ovn-nbgen/core';
import type { Ovn } from '../../harness/ovn.js';
import { buildTopology, type LoadBalancerSpec, type Topology, type TopologyPod } from '../../harness/topology.js';
import { replyOf, type L4, type TraceQuery, type TraceResult } from '../../harness/trace.js';
import { clusterObjects, clusterPods, type ClusterPod } from '../netpol/cluster.js';
import type { TierScenario } from './scenarios.js';

export const TIERS_E2E_OWNER = 'nbgen-e2e-tiers';

/** Hosts that are not pods: two Nodes (status.addresses) and a server outside the cluster. */
export const HOSTS: readonly (TopologyPod & { node?: { labels: Record<string, string> } })[] = [
  { namespace: 'host', name: 'node-1', ips: ['172.18.0.2'], node: { labels: { role: 'worker' } } },
  { namespace: 'host', name: 'node-2', ips: ['172.18.0.3'], node: { labels: { role: 'control-plane' } } },
  { namespace: 'host', name: 'ext', ips: ['192.0.2.10', '2001:db8::10'] },
];

function nodeObjects(): Record<string, unknown>[] {
  return HOSTS.flatMap((h) =>
    h.node
      ? [
          {
            apiVersion: 'v1',
            kind: 'Node',
            metadata: { name: h.name, labels: h.node.labels },
            status: { addresses: [{ type: 'InternalIP', address: h.ips[0] }, { type: 'Hostname', address: h.name }] },
          },
        ]
      : [],
  );
}

export function scenarioSources(scenario: TierScenario): ManifestSource[] {
  const yaml = (objects: readonly Record<string, unknown>[]): string => objects.map((o) => stringify(o)).join('---\n');
  return [
    { name: 'cluster.yaml', text: yaml([...clusterObjects({ dualStack: true }), ...nodeObjects()]) },
    { name: 'policies.yaml', text: yaml(scenario.policies) },
  ];
}

export function compileOptionsFor(ovn: Pick<Ovn, 'version'>): CompileOptions {
  return {
    owner: TIERS_E2E_OWNER,
    capabilities: capabilitiesForOvnVersion(ovn.version),
    portNameFor: kubeOvnPortName,
    alwaysAllowCidrs: [],
    logging: {},
  };
}

export interface ParsedProbe {
  readonly line: string;
  readonly from: string;
  readonly to: string;
  readonly protocol: L4;
  readonly port: number;
  readonly family: 4 | 6;
  readonly reply: boolean;
  /** To a Service VIP (`to` is the VIP): the backend pod and target port the load balancer picks. */
  readonly via: { readonly pod: string; readonly port: number } | null;
  readonly expected: 'allow' | 'drop';
}

const PROBE = /^(\S+) > (\S+) (tcp|udp|sctp)\/(\d+)( v6)?( reply)?(?: via (\S+):(\d+))?: (allow|drop)$/;

export function parseProbe(line: string): ParsedProbe {
  const m = PROBE.exec(line);
  if (!m) throw new Error(`bad probe line ${JSON.stringify(line)} (expected "x/a > y/b tcp/80[ v6][ reply][ via y/b:8080]: allow|drop")`);
  return {
    line,
    from: m[1]!,
    to: m[2]!,
    protocol: m[3] as L4,
    port: Number(m[4]),
    family: m[5] ? 6 : 4,
    reply: m[6] !== undefined,
    via: m[7] ? { pod: m[7], port: Number(m[8]) } : null,
    expected: m[9] as 'allow' | 'drop',
  };
}

const withoutVerdict = (line: string): string => line.slice(0, line.lastIndexOf(':'));

export interface TierOutcome {
  /** `probe: verdict` as the scenario expects it. */
  readonly expected: readonly string[];
  /** `probe: verdict` as ovn-trace answered. */
  readonly observed: readonly string[];
  readonly traces: ReadonlyMap<string, TraceResult>;
}

/** One switch load balancer per VIP the scenario's probes go through, to the backends they name. */
function loadBalancersOf(scenario: TierScenario, pods: readonly ClusterPod[]): LoadBalancerSpec[] {
  const vips = new Map<string, { protocol: L4; backends: Set<string> }>();
  for (const probe of scenario.probes.map(parseProbe)) {
    if (!probe.via) continue;
    const backend = pods.find((p) => p.key === probe.via!.pod);
    if (!backend) throw new Error(`probe ${probe.line}: no pod ${probe.via.pod}`);
    const vip = `${probe.to}:${probe.port}`;
    const entry = vips.get(vip) ?? { protocol: probe.protocol, backends: new Set<string>() };
    entry.backends.add(`${backend.ipv4}:${probe.via.port}`);
    vips.set(vip, entry);
  }
  return [...vips].map(([vip, { protocol, backends }], i) => ({ name: `svc-${i}`, protocol, vips: { [vip]: [...backends] } }));
}

export async function runTierScenario(ovn: Ovn, scenario: TierScenario): Promise<TierOutcome> {
  await ovn.resetNb();
  const pods = clusterPods({ dualStack: true });
  const topology = await buildTopology(ovn, {
    pods: [...pods.map((p) => ({ namespace: p.namespace, name: p.name, ips: [p.ipv4, ...(p.ipv6 ? [p.ipv6] : [])] })), ...HOSTS],
    loadBalancers: loadBalancersOf(scenario, pods),
  });
  const { model } = loadModel(scenarioSources(scenario));
  const options = compileOptionsFor(ovn);
  const { rows } = compile(model, options);
  await ovn.runScript(renderNbctlScript(rows, { owner: options.owner, capabilities: options.capabilities, target: `OVN ${ovn.version}` }));
  await ovn.syncSb();

  const probes = scenario.probes.map(parseProbe);
  const observed: string[] = [];
  const traces = new Map<string, TraceResult>();
  for (const probe of probes) {
    const result = await ovn.trace(queryOf(topology, probe));
    observed.push(`${withoutVerdict(probe.line)}: ${result.verdict}`);
    traces.set(probe.line, result);
  }
  assertEveryMatchParsed(ovn);
  return { expected: probes.map((p) => p.line), observed, traces };
}

/**
 * ovn-trace skips a logical flow whose match it cannot parse (with a warning in its log), which
 * would read as "no ACL matched": a silently ignored Deny looks like an allow. Fail loudly instead.
 */
function assertEveryMatchParsed(ovn: Ovn): void {
  for (const file of readdirSync(ovn.dir).filter((f) => /^trace-\d+\.log$/.test(f))) {
    const bad = readFileSync(join(ovn.dir, file), 'utf8')
      .split('\n')
      .filter((line) => line.includes('parsing expression failed'));
    if (bad.length > 0) throw new Error(`ovn-trace could not parse logical flow matches:\n${bad.join('\n')}`);
  }
}

/**
 * The trace of a probe: a first packet pod to pod; through a Service VIP (the load balancer picks
 * `via`); or the reply to a first packet (conntrack est+rpl at every pass).
 */
function queryOf(topology: Topology, probe: ParsedProbe): TraceQuery {
  if (probe.via) {
    const backend = topology.pod(probe.via.pod);
    const ip = probe.family === 6 ? backend.ipv6 : backend.ipv4;
    return {
      ...topology.podToAddress(probe.from, probe.to, { protocol: probe.protocol, port: probe.port }, probe.via.pod),
      lbDst: `${ip}:${probe.via.port}`,
    };
  }
  const first = topology.podToPod(probe.from, probe.to, { protocol: probe.protocol, port: probe.port, family: probe.family });
  return probe.reply ? replyOf(first) : first;
}

/** A readable failure: the differing probes, the first one's detailed trace, and the NB ACLs. */
export async function describeTierMismatch(ovn: Ovn, scenario: TierScenario, outcome: TierOutcome): Promise<string> {
  const lines = [`scenario "${scenario.name}" on OVN ${ovn.version}:`];
  outcome.expected.forEach((exp, i) => {
    const obs = outcome.observed[i]!;
    lines.push(`${exp === obs ? '  ' : '✗ '}expected ${exp}${exp === obs ? '' : `, ovn-trace says ${obs.slice(obs.lastIndexOf(':') + 2)}`}`);
  });
  const first = outcome.expected.findIndex((exp, i) => exp !== outcome.observed[i]);
  const trace = first >= 0 ? outcome.traces.get(outcome.expected[first]!) : undefined;
  if (trace) lines.push('', `$ ${trace.command}`, trace.raw);
  lines.push('NB ACLs:', await ovn.nbctl([`--columns=priority,direction,${ovn.version === '23.03' ? '' : 'tier,'}match,action`, 'find', 'ACL', `external_ids:"nbgen/owner"=${TIERS_E2E_OWNER}`]));
  return lines.join('\n');
}
