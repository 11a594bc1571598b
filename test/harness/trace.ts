// Asking OVN itself whether a packet gets through: ovn-trace over the southbound logical flows
// that ovn-northd compiled from the NB rows under test.
//
// Facts about ovn-trace this module relies on (checked on 23.03.1 and 25.03.0, see ovn-trace(8)):
// - Every `ct_next`/`ct_lb_mark` consumes the next `--ct=FLAGS` given on the command line; when
//   they run out it uses `trk,est` and prints `/* default (use --ct to customize) */`. A first
//   packet must be `new` at every conntrack pass or the ACL stage is skipped for "established"
//   traffic, so we give one `--ct=new` per pass.
// - Daemon mode (`--detach`, then `trace [--minimal] DATAPATH MICROFLOW` on the unixctl socket)
//   reads the southbound DB ONCE, at start: a daemon is a snapshot. It also never rewinds its
//   `--ct` list between traces, so a daemon gets a large budget of `--ct=new` and is replaced
//   before the budget runs out. `--lb-dst` is not available in daemon mode.
// - `--minimal` prints the externally visible behaviour; a delivered packet shows as
//   `output("<logical port>");`, a dropped one shows no output to that port.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OvnTools } from './tools.js';
import { UnixctlClient } from './unixctl.js';
import { killAndWait, trackPid, untrackPid, waitForExit } from './processes.js';

export type L4 = 'tcp' | 'udp' | 'sctp';

/** A first packet of a connection, as it enters the logical switch from `inport`. */
export interface TracePacket {
  /** Logical switch of `inport`. */
  readonly datapath: string;
  readonly inport: string;
  readonly ethSrc: string;
  readonly ethDst: string;
  /** IPv4 or IPv6 text; both addresses of one family. */
  readonly ipSrc: string;
  readonly ipDst: string;
  readonly protocol: L4;
  readonly srcPort?: number;
  readonly dstPort: number;
  readonly ttl?: number;
}

export interface TraceQuery {
  readonly packet: TracePacket;
  /** The logical port that receives the packet when it is allowed. */
  readonly expectOutport: string;
  /** Load-balancer backend `IP[:PORT]` to pick at `ct_lb` (one-shot ovn-trace only). */
  readonly lbDst?: string;
  /**
   * Conntrack state at every conntrack pass, ovn-trace `--ct` flags such as `trk,est,rpl` for a
   * reply. Default `new` (a first packet); other states are traced by a one-shot ovn-trace.
   */
  readonly ct?: string;
  /** Output form; `detailed` names every logical flow (for failure reports). */
  readonly format?: 'minimal' | 'detailed';
}

export type Verdict = 'allow' | 'drop';

export interface TraceResult {
  readonly verdict: Verdict;
  /** ovn-trace's full answer, to print when a verdict is not the expected one. */
  readonly raw: string;
  /** The ovn-trace command (datapath and microflow) that produced it, to rerun by hand. */
  readonly command: string;
}

/** Source port of every probe: arbitrary, fixed so traces are reproducible. */
export const PROBE_SOURCE_PORT = 40000;

/** The packet as an OVN logical expression (ovn-sb(5) fields) that ovn-trace turns into a microflow. */
export function microflow(p: TracePacket): string {
  const ip = p.ipSrc.includes(':') ? 'ip6' : 'ip4';
  if (p.ipDst.includes(':') !== (ip === 'ip6')) {
    throw new Error(`microflow: ${p.ipSrc} and ${p.ipDst} are of different address families`);
  }
  return [
    `inport == ${JSON.stringify(p.inport)}`,
    `eth.src == ${p.ethSrc}`,
    `eth.dst == ${p.ethDst}`,
    `${ip}.src == ${p.ipSrc}`,
    `${ip}.dst == ${p.ipDst}`,
    `ip.ttl == ${p.ttl ?? 64}`,
    `${p.protocol}.src == ${p.srcPort ?? PROBE_SOURCE_PORT}`,
    `${p.protocol}.dst == ${p.dstPort}`,
  ].join(' && ');
}

/**
 * The answer to a pod-to-pod first packet: addresses and ports swapped, sent back from the
 * receiving port, traced as an established reply (`--ct=trk,est,rpl` at every pass). Not for
 * Service traffic (a real reply would come from the backend and be un-DNATed).
 */
export function replyOf(query: TraceQuery): TraceQuery {
  const p = query.packet;
  return {
    packet: {
      ...p,
      inport: query.expectOutport,
      ethSrc: p.ethDst,
      ethDst: p.ethSrc,
      ipSrc: p.ipDst,
      ipDst: p.ipSrc,
      srcPort: p.dstPort,
      dstPort: p.srcPort ?? PROBE_SOURCE_PORT,
    },
    expectOutport: p.inport,
    ct: 'trk,est,rpl',
    ...(query.format ? { format: query.format } : {}),
  };
}

const DEFAULT_CT_MARKER = 'default (use --ct to customize)';

/** Logical ports the trace delivered the packet to. */
export function deliveredPorts(raw: string): string[] {
  return [...raw.matchAll(/output\("([^"]+)"\)|\/\* output to "([^"]+)"/g)].map((m) => (m[1] ?? m[2])!);
}

/**
 * allow: the packet reached `outport`; drop: it did not. Throws when ovn-trace could not trace
 * at all (unknown datapath, unparsable microflow), so a broken probe never reads as a drop.
 */
export function verdictOf(raw: string, outport: string): Verdict {
  const firstLine = raw.split('\n', 1)[0] ?? '';
  if (!firstLine.startsWith('# ')) throw new Error(`ovn-trace could not trace the packet: ${raw.trim()}`);
  if (raw.includes(DEFAULT_CT_MARKER)) {
    throw new Error(`ovn-trace ran out of --ct states (the verdict would be for an established flow):\n${raw}`);
  }
  return deliveredPorts(raw).includes(outport) ? 'allow' : 'drop';
}

/** Enough `--ct=new` for every conntrack pass of one packet (switch, router, switch again). */
const CT_PASSES_PER_TRACE = 8;

function ctArgs(count: number, flags = 'new'): string[] {
  return Array.from({ length: count }, () => `--ct=${flags}`);
}

/** Traces one packet with a fresh ovn-trace process (reads the whole SB; supports --lb-dst). */
export async function traceOnce(tools: OvnTools, sbRemote: string, query: TraceQuery): Promise<TraceResult> {
  const flow = microflow(query.packet);
  const args = [
    `--db=${sbRemote}`,
    ...ctArgs(CT_PASSES_PER_TRACE, query.ct),
    `--${query.format ?? 'minimal'}`,
    ...(query.lbDst ? [`--lb-dst=${query.lbDst}`] : []),
    query.packet.datapath,
    flow,
  ];
  const { stdout } = await tools.run('ovn-trace', args);
  // The repeated --ct option is shown once, with its count.
  const shown = [args[0]!, `--ct=${query.ct ?? 'new'} (x${CT_PASSES_PER_TRACE})`, ...args.slice(CT_PASSES_PER_TRACE + 1)];
  return {
    verdict: verdictOf(stdout, query.expectOutport),
    raw: stdout,
    command: `ovn-trace ${shown.map(shellQuote).join(' ')}`,
  };
}

/**
 * A running ovn-trace daemon: a snapshot of the southbound DB taken when it started, answering
 * `trace` over its unixctl socket. Replaced transparently when its `--ct` budget is spent.
 */
export class TraceDaemon {
  private static readonly CT_BUDGET = 4096;
  private tracesLeft = 0;
  private client: UnixctlClient | null = null;
  private pid: number | null = null;
  private generation = 0;
  private logPath = '';
  private readonly retired: number[] = [];

  /** `dir` is a host path inside the tools' reach (the OVN instance's directory). */
  constructor(
    private readonly tools: OvnTools,
    private readonly sbRemote: string,
    private readonly dir: string,
    private readonly name = 'trace',
  ) {}

  /** Starts (or restarts) the daemon: it sees the southbound DB as it is now. */
  async start(): Promise<void> {
    this.retire();
    this.generation++;
    const base = join(this.dir, `${this.name}-${this.generation}`);
    const ctl = `${base}.ctl`;
    this.logPath = `${base}.log`;
    await this.tools.run('ovn-trace', [
      `--db=${this.sbRemote}`,
      '--detach',
      `--pidfile=${this.tools.toolPath(`${base}.pid`)}`,
      `--unixctl=${this.tools.toolPath(ctl)}`,
      `--log-file=${this.tools.toolPath(`${base}.log`)}`,
      ...ctArgs(TraceDaemon.CT_BUDGET),
    ]);
    this.pid = Number(readFileSync(`${base}.pid`, 'utf8').trim());
    trackPid(this.pid);
    this.client = await UnixctlClient.connect(ctl);
    this.tracesLeft = Math.floor(TraceDaemon.CT_BUDGET / CT_PASSES_PER_TRACE);
  }

  async trace(query: TraceQuery): Promise<TraceResult> {
    if (query.lbDst) throw new Error('TraceDaemon: --lb-dst is not available in daemon mode; use traceOnce');
    if ((query.ct ?? 'new') !== 'new') throw new Error('TraceDaemon traces first packets (--ct=new) only; use traceOnce');
    if (!this.client || this.tracesLeft <= 0) await this.start();
    this.tracesLeft--;
    const flow = microflow(query.packet);
    const format = `--${query.format ?? 'minimal'}`;
    const command = `ovn-trace --db=${this.sbRemote} '--ct=new (xN)' ${format} ${shellQuote(query.packet.datapath)} ${shellQuote(flow)}`;
    let raw = await this.call(command, [format, query.packet.datapath, flow]);
    if (raw.includes(DEFAULT_CT_MARKER)) {
      // Budget estimate was short (a longer pipeline than CT_PASSES_PER_TRACE): restart, retry once.
      await this.start();
      raw = await this.call(command, [format, query.packet.datapath, flow]);
    }
    return { verdict: verdictOf(raw, query.expectOutport), raw, command };
  }

  /** One `trace` request; a daemon that dies on it (23.03 asserts on an unknown inport) is reported with its log. */
  private async call(command: string, params: readonly string[]): Promise<string> {
    try {
      return await this.client!.call('trace', params);
    } catch (error) {
      const log = existsSync(this.logPath) ? readFileSync(this.logPath, 'utf8').trim().split('\n').slice(-3).join('\n') : '';
      this.retire();
      throw new Error(`ovn-trace daemon failed on: ${command}\n${(error as Error).message}\n${log}`);
    }
  }

  /**
   * Asks the daemon to exit and forgets it. ovn-trace takes over a second to actually go after
   * `exit` (or SIGTERM), so a restart does not wait for it; `stop()` reaps every retired daemon.
   */
  private retire(): void {
    const client = this.client;
    this.client = null;
    if (client) {
      client.call('exit', []).then(
        () => client.close(),
        () => client.close(),
      );
    }
    if (this.pid !== null) this.retired.push(this.pid);
    this.pid = null;
  }

  /** Ends the current daemon and every retired one, and waits until they are gone. */
  async stop(): Promise<void> {
    this.retire();
    const pids = this.retired.splice(0);
    await Promise.all(
      pids.map(async (pid) => {
        if (!(await waitForExit(pid, 3000))) await killAndWait(pid);
        untrackPid(pid);
      }),
    );
  }
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}
