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
import type { Ovn } from '../../harness/ovn';
import { buildTopology, type Topology, type TopologyPod } from '../../harness/topology';
import { microflow, PROBE_SOURCE_PORT, verdictOf, type L4, type TraceQuery, type TraceResult } from '../../harness/trace';
import { clusterObjects, clusterPods } from '../netpol/cluster';
import type { TierScenario } from './scenarios';

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
  readonly expected: 'allow' | 'drop';
}

const PROBE = /^(\S+) > (\S+) (tcp|udp|sctp)\/(\d+)( v6)?( reply)?: (allow|drop)$/;

export function parseProbe(line: string): ParsedProbe {
  const m = PROBE.exec(line);
  if (!m) throw new Error(`bad probe line ${JSON.stringify(line)} (expected "x/a > y/b tcp/80[ v6][ reply]: allow|drop")`);
  return {
    line,
    from: m[1]!,
    to: m[2]!,
    protocol: m[3] as L4,
    port: Number(m[4]),
    family: m[5] ? 6 : 4,
    reply: m[6] !== undefined,
    expected: m[7] as 'allow' | 'drop',
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

export async function runTierScenario(ovn: Ovn, scenario: TierScenario): Promise<TierOutcome> {
  await ovn.resetNb();
  const pods = clusterPods({ dualStack: true });
  const topology = await buildTopology(ovn, {
    pods: [...pods.map((p) => ({ namespace: p.namespace, name: p.name, ips: [p.ipv4, ...(p.ipv6 ? [p.ipv6] : [])] })), ...HOSTS],
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
    const result = probe.reply ? await traceReply(ovn, topology, probe) : await ovn.trace(firstPacket(topology, probe));
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

function firstPacket(topology: Topology, probe: ParsedProbe): TraceQuery {
  return topology.podToPod(probe.from, probe.to, { protocol: probe.protocol, port: probe.port, family: probe.family });
}

/**
 * The answer `to` sends back on a connection `from` opened: source port = the service port,
 * traced with conntrack state est+rpl at every conntrack pass (the harness' daemon traces only
 * first packets, so this runs a one-shot ovn-trace with its own --ct list).
 */
async function traceReply(ovn: Ovn, topology: Topology, probe: ParsedProbe): Promise<TraceResult> {
  const forward = firstPacket(topology, probe).packet;
  const packet = {
    ...forward,
    inport: topology.pod(probe.to).port,
    ethSrc: forward.ethDst,
    ethDst: forward.ethSrc,
    ipSrc: forward.ipDst,
    ipDst: forward.ipSrc,
    srcPort: probe.port,
    dstPort: PROBE_SOURCE_PORT,
  };
  const outport = topology.pod(probe.from).port;
  const args = [`--db=${ovn.sbRemote}`, ...Array.from({ length: 8 }, () => '--ct=trk,est,rpl'), '--minimal', packet.datapath, microflow(packet)];
  const { stdout, stderr } = await ovn.tools.run('ovn-trace', args);
  if (stderr.includes('parsing expression failed')) throw new Error(`ovn-trace could not parse logical flow matches:\n${stderr}`);
  return { verdict: verdictOf(stdout, outport), raw: stdout, command: `ovn-trace ${args.join(' ')}` };
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
