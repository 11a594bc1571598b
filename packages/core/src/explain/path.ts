import { OBJECT_KIND_KEY, OBJECT_NAME_KEY, OBJECT_NAMESPACE_KEY, ROW_ID_KEY } from '../ownership.js';
import type { AclRow } from '../rows/index.js';
import { ACL_STAGES, type AclProgram, type AclStage } from './aclProgram.js';
import { decidingAcl, evaluateStage, verdictOf, type StageDecision, type Verdict } from './evaluateStage.js';
import type { L4Name, Packet } from './match/evaluate.js';

/**
 * One pass of the packet through the logical switch: in at `inport`, out at `outport`. A Service
 * packet in plain OVN makes two: the switch load balancer DNATs it, but its Ethernet destination is
 * still the gateway, so it goes to the router (pass 1, out the router port) and the router sends it
 * back to the backend (pass 2, in at the router port). Each pass runs all three ACL stages.
 */
export interface HopSpec {
  readonly inport: string;
  readonly outport: string;
  readonly src: string;
  /** Destination as the packet enters the switch (a VIP in pass 1 of a Service packet). */
  readonly dst: { readonly ip: string; readonly port: number | null };
  /** Destination after the switch load balancer's DNAT; absent when no VIP is hit. */
  readonly dnat?: { readonly ip: string; readonly port: number };
  /** Source after hairpin SNAT (a backend reaching itself through its VIP). */
  readonly snat?: string;
  /** The values of `src` and `dst.ip` when the caller read them already (endAddressOf), else parsed here. */
  readonly srcValue?: bigint;
  readonly dstValue?: bigint;
}

export interface PathStage extends StageDecision {
  /** 1-based pass through the switch. */
  readonly hop: number;
  readonly inport: string;
  readonly outport: string;
}

/** The Kubernetes object and rule a row came from, read from its external_ids. */
export interface RowOrigin {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly rule: string;
}

export interface DecidingRow {
  readonly stage: AclStage;
  readonly hop: number;
  readonly row: AclRow;
  readonly origin: RowOrigin | null;
}

export interface TracedPath {
  readonly verdict: Verdict;
  /** Stages in pipeline order, up to the first that denies (OVN drops the packet there). */
  readonly stages: readonly PathStage[];
  /** The deny row, or the rows that allowed (none: no ACL applied anywhere). */
  readonly decidingRows: readonly DecidingRow[];
}

export interface ProbeSpec {
  readonly family: 4 | 6;
  readonly protocol: L4Name;
  readonly sourcePort: number;
}

/**
 * Runs the ACL stages of every hop in pipeline order, stopping at the first deny: `from-lport`
 * sees the packet as it entered the switch, `from-lport-after-lb` after the load balancer's DNAT,
 * `to-lport` also after hairpin SNAT (applied in the ingress pipeline after its ACL stages).
 */
export function traceHops(program: AclProgram, probe: ProbeSpec, hops: readonly HopSpec[], options: { readonly trail?: boolean } = {}): TracedPath {
  const stages: PathStage[] = [];
  let denied: PathStage | null = null;
  hops.some((hop, index) => {
    const packets = hopPackets(program, probe, hop);
    for (let i = 0; i < 3; i++) {
      const d = evaluateStage(program, ACL_STAGES[i]!, packets[i]!, options);
      const decision: PathStage = { stage: d.stage, verdict: d.verdict, decidedBy: d.decidedBy, trail: d.trail, otherPortRows: d.otherPortRows, ties: d.ties, hop: index + 1, inport: hop.inport, outport: hop.outport };
      stages.push(decision);
      if (decision.verdict === 'deny') {
        denied = decision;
        return true;
      }
    }
    return false;
  });
  const deciding = (denied ? [denied] : stages).filter((s) => s.decidedBy !== null);
  return {
    verdict: denied ? 'deny' : 'allow',
    stages,
    decidingRows: deciding.map((s) => ({ stage: s.stage, hop: s.hop, row: s.decidedBy!, origin: originOf(s.decidedBy!) })),
  };
}

/**
 * The packet as each stage of one pass sees it (ACL_STAGES order): `from-lport` as it entered
 * the switch, `from-lport-after-lb` after the load balancer's DNAT, `to-lport` also after
 * hairpin SNAT and with the outport set.
 */
function hopPackets(program: AclProgram, probe: ProbeSpec, hop: HopSpec): readonly [Packet, Packet, Packet] {
  const value = program.addressValue;
  const src = hop.srcValue ?? value(hop.src);
  const dst = hop.dstValue ?? value(hop.dst.ip);
  const dstPort = hop.dst.port ?? 0;
  const { family, protocol, sourcePort: srcPort } = probe;
  const entering: Packet = { family, protocol, srcPort, inport: hop.inport, outport: '', src, dst, dstPort };
  const afterLb: Packet = hop.dnat ? { family, protocol, srcPort, inport: hop.inport, outport: '', src, dst: value(hop.dnat.ip), dstPort: hop.dnat.port } : entering;
  const leaving: Packet = { family, protocol, srcPort, inport: hop.inport, outport: hop.outport, src: hop.snat ? value(hop.snat) : src, dst: afterLb.dst, dstPort: afterLb.dstPort };
  return [entering, afterLb, leaving];
}

/** A path's verdict and deciding rows (as traceHops), for callers that show no stages. */
export interface HopsJudgement {
  readonly verdict: Verdict;
  /** traceHops' decidingRows, without their origin. */
  readonly rows: readonly AclRow[];
}

const DEFAULT_ALLOW: HopsJudgement = { verdict: 'allow', rows: [] };
// judgePath's paths have no stages: one shared empty list (results hold thousands of paths).
const NO_STAGES: readonly PathStage[] = Object.freeze([]);

/**
 * traceHops without the explanation, for matrix and impact (hundreds of thousands of flows): the
 * same stages on the same packets, each decided by decidingAcl (evaluateStage's decision without a
 * trail), so the same verdict and deciding rows; no stage objects, no trail.
 */
export function judgeHops(program: AclProgram, probe: ProbeSpec, hops: readonly HopSpec[]): HopsJudgement {
  const rows: AclRow[] = [];
  for (const hop of hops) {
    if (judgeStages(program, hopPackets(program, probe, hop), rows, null)) return { verdict: 'deny', rows: [rows[rows.length - 1]!] };
  }
  return rows.length === 0 ? DEFAULT_ALLOW : { verdict: 'allow', rows };
}

/**
 * traceHops' verdict and deciding rows (with their stage, hop and origin), with no stages: what
 * judgeFlow puts in a path. Each stage is decided by decidingAcl, in pipeline order up to the
 * first that denies (judgeStages' order): a deny keeps only its row, an allow every deciding row.
 */
export function judgePath(program: AclProgram, probe: ProbeSpec, hops: readonly HopSpec[]): TracedPath {
  let allowedBy: DecidingRow[] | null = null;
  for (let h = 0; h < hops.length; h++) {
    const packets = hopPackets(program, probe, hops[h]!);
    for (let i = 0; i < 3; i++) {
      const acl = decidingAcl(program, ACL_STAGES[i]!, packets[i]!);
      if (acl === null) continue;
      if (verdictOf(acl.row.action) === 'deny') return { verdict: 'deny', stages: NO_STAGES, decidingRows: decidedAlone(acl.row, ACL_STAGES[i]!, h + 1) };
      (allowedBy ??= []).push(decidingRowOf(acl.row, ACL_STAGES[i]!, h + 1));
    }
  }
  return { verdict: 'allow', stages: NO_STAGES, decidingRows: allowedBy ?? NO_ROWS };
}

/**
 * judgePath of one pass with no load balancer on the way (pod or address to pod or address), for
 * nbgen test's direct flows: the same stages on the same two packets (hopPackets' `entering`, also
 * after the load balancer, and `leaving`), without a hop, a probe or a list of packets per flow.
 */
export function judgeDirectPath(
  program: AclProgram,
  family: 4 | 6,
  protocol: L4Name,
  srcPort: number,
  inport: string,
  outport: string,
  src: bigint,
  dst: bigint,
  dstPort: number | null,
): TracedPath {
  const port = dstPort ?? 0;
  const entering = setPacket(ENTERING, family, protocol, srcPort, inport, '', src, dst, port);
  const leaving = setPacket(LEAVING, family, protocol, srcPort, inport, outport, src, dst, port);
  let allowedBy: DecidingRow[] | null = null;
  for (let i = 0; i < 3; i++) {
    const acl = decidingAcl(program, ACL_STAGES[i]!, i === 2 ? leaving : entering);
    if (acl === null) continue;
    if (verdictOf(acl.row.action) === 'deny') return { verdict: 'deny', stages: NO_STAGES, decidingRows: decidedAlone(acl.row, ACL_STAGES[i]!, 1) };
    (allowedBy ??= []).push(decidingRowOf(acl.row, ACL_STAGES[i]!, 1));
  }
  return { verdict: 'allow', stages: NO_STAGES, decidingRows: allowedBy ?? NO_ROWS };
}

// judgeDirectPath's two packets, written afresh for each flow: a row's test reads a packet and
// keeps nothing of it, and judging does not re-enter (nbgen test: 20,000 packets not made).
type MutablePacket = { -readonly [K in keyof Packet]: Packet[K] };
const ENTERING: MutablePacket = { family: 4, protocol: 'tcp', srcPort: 0, inport: '', outport: '', src: 0n, dst: 0n, dstPort: 0 };
const LEAVING: MutablePacket = { family: 4, protocol: 'tcp', srcPort: 0, inport: '', outport: '', src: 0n, dst: 0n, dstPort: 0 };

function setPacket(p: MutablePacket, family: 4 | 6, protocol: L4Name, srcPort: number, inport: string, outport: string, src: bigint, dst: bigint, dstPort: number): Packet {
  p.family = family;
  p.protocol = protocol;
  p.srcPort = srcPort;
  p.inport = inport;
  p.outport = outport;
  p.src = src;
  p.dst = dst;
  p.dstPort = dstPort;
  return p;
}

// Rows are frozen and a row decides in one stage (stageOf): thousands of flows decided by a few
// rows on the first pass share each one's DecidingRow, and a deny's list of that one row.
const firstPassRows = new WeakMap<AclRow, readonly [DecidingRow]>();

function decidedAlone(row: AclRow, stage: AclStage, hop: number): readonly DecidingRow[] {
  if (hop !== 1) return [decidingRowOf(row, stage, hop)];
  let alone = firstPassRows.get(row);
  if (alone === undefined || alone[0].stage !== stage) firstPassRows.set(row, (alone = Object.freeze([{ stage, hop, row, origin: sharedOriginOf(row) }] as const)));
  return alone;
}

function decidingRowOf(row: AclRow, stage: AclStage, hop: number): DecidingRow {
  return hop === 1 ? decidedAlone(row, stage, hop)[0]! : { stage, hop, row, origin: sharedOriginOf(row) };
}

const NO_ROWS: readonly DecidingRow[] = Object.freeze([]);

/**
 * judgeHops of one pass with no load balancer on the way (pod or address to pod or address), for
 * the hundreds of thousands of pairs of a matrix: no hop objects.
 */
export function judgeDirect(program: AclProgram, probe: ProbeSpec, inport: string, outport: string, src: string, dst: string, dstPort: number | null): HopsJudgement {
  const { family, protocol, sourcePort: srcPort } = probe;
  const [srcValue, dstValue, port] = [program.addressValue(src), program.addressValue(dst), dstPort ?? 0];
  const entering: Packet = { family, protocol, srcPort, inport, outport: '', src: srcValue, dst: dstValue, dstPort: port };
  const leaving: Packet = { family, protocol, srcPort, inport, outport, src: srcValue, dst: dstValue, dstPort: port };
  const rows: AclRow[] = [];
  if (judgeStages(program, [entering, entering, leaving], rows, null)) return { verdict: 'deny', rows: [rows[rows.length - 1]!] };
  return rows.length === 0 ? DEFAULT_ALLOW : { verdict: 'allow', rows };
}

/**
 * The three stages of one pass, each decided by decidingAcl (evaluateStage's decision without a
 * trail), in pipeline order up to the first that denies: each deciding row is added to `rows`
 * (and its stage to `stages`); true when the last one added denies.
 */
function judgeStages(program: AclProgram, packets: readonly [Packet, Packet, Packet], rows: AclRow[], stages: AclStage[] | null): boolean {
  for (let i = 0; i < 3; i++) {
    const acl = decidingAcl(program, ACL_STAGES[i]!, packets[i]!);
    if (acl === null) continue;
    rows.push(acl.row);
    stages?.push(ACL_STAGES[i]!);
    if (verdictOf(acl.row.action) === 'deny') return true;
  }
  return false;
}

// Rows are frozen: judgePath (thousands of flows decided by a few rows) reads each row's origin
// once and shares it.
const origins = new WeakMap<AclRow, RowOrigin | null>();

function sharedOriginOf(row: AclRow): RowOrigin | null {
  let origin = origins.get(row);
  if (origin === undefined) origins.set(row, (origin = originOf(row)));
  return origin;
}

export function originOf(row: AclRow): RowOrigin | null {
  const ids = row.externalIds;
  const kind = ids[OBJECT_KIND_KEY];
  if (kind === undefined) return null;
  return {
    kind,
    namespace: ids[OBJECT_NAMESPACE_KEY] ?? '',
    name: ids[OBJECT_NAME_KEY] ?? '',
    rule: ids[ROW_ID_KEY] ?? '',
  };
}
