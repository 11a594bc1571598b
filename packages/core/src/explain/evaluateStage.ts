import type { AclAction, AclRow } from '../rows/index.js';
import type { AclProgram, AclStage, PreparedAcl } from './aclProgram.js';
import { NETWORK_POLICY_PRIORITY_BAND } from '../netpol/priorities.js';
import { describeCondition, firstFailingCondition, MatchReferenceError, type Packet } from './match/evaluate.js';

export type Verdict = 'allow' | 'deny';

export interface TrailEntry {
  readonly row: AclRow;
  readonly tier: number;
  /**
   * matched: this row decided; passed: matched a `pass` row, evaluation moved to the next tier;
   * not-matched: `detail` names the failing condition; ignored: OVN installs no flow for it.
   */
  readonly result: 'matched' | 'passed' | 'not-matched' | 'ignored';
  readonly detail: string;
}

export interface StageDecision {
  readonly stage: AclStage;
  readonly verdict: Verdict;
  /** The row that decided; null when no row matched and OVN's default (allow) applied. */
  readonly decidedBy: AclRow | null;
  readonly trail: readonly TrailEntry[];
  /** Rows skipped in the trail because their inport/outport condition names other ports. */
  readonly otherPortRows: number;
  /**
   * Other rows matching at the same tier and priority with a different verdict. OVN does not
   * define which of two equal-priority matching flows wins (ovn-sb(5) Logical_Flow priority).
   */
  readonly ties: readonly AclRow[];
}

export function verdictOf(action: AclAction): Verdict | 'pass' {
  switch (action) {
    case 'allow':
    case 'allow-related':
    case 'allow-stateless':
      return 'allow';
    case 'drop':
    case 'reject':
      return 'deny';
    case 'pass':
      return 'pass';
  }
}

/**
 * One ACL stage, as OVN evaluates it with ACL tiers (OVN >= 23.06, "we first will consider ACLs
 * at tier 0. If no matching ACL is found, then we move to tier 1 ..."): within a tier the highest
 * priority matching row decides; `pass` skips the rest of its tier; no match anywhere ⇒ allow.
 * Without tiers every row has tier 0 and this is plain first-match by priority.
 */
export function evaluateStage(program: AclProgram, stage: AclStage, packet: Packet, options: { readonly trail?: boolean } = {}): StageDecision {
  // Without a trail (matrix and impact judge millions of flows) rows that do not match are
  // skipped without saying why: the verdict and the deciding row are the same.
  if (options.trail === false) return decideOnly(program, stage, packet);
  const rows = program.candidates(stage, packet.inport, packet.outport);
  const trail: TrailEntry[] = [];
  let otherPortRows = program.stages[stage].length - rows.length;
  let passedTier: number | null = null;
  for (let i = 0; i < rows.length; i++) {
    const acl = rows[i]!;
    if (passedTier !== null && acl.tier === passedTier) continue;
    const outcome = matchRow(acl, packet, program);
    if (outcome.kind === 'ignored') {
      trail.push({ row: acl.row, tier: acl.tier, result: 'ignored', detail: outcome.detail });
      continue;
    }
    if (outcome.kind === 'other-port') {
      otherPortRows++;
      continue;
    }
    if (outcome.kind === 'no') {
      trail.push({ row: acl.row, tier: acl.tier, result: 'not-matched', detail: outcome.detail });
      continue;
    }
    const verdict = verdictOf(acl.row.action);
    if (verdict === 'pass') {
      trail.push({ row: acl.row, tier: acl.tier, result: 'passed', detail: `pass: continue at the next tier` });
      passedTier = acl.tier;
      continue;
    }
    trail.push({ row: acl.row, tier: acl.tier, result: 'matched', detail: acl.row.action });
    const ties = tiesOf(rows, i, verdict, packet, program);
    return { stage, verdict, decidedBy: acl.row, trail: withEmulatedPasses(trail, acl.row, program, stage, packet), otherPortRows, ties };
  }
  return { stage, verdict: 'allow', decidedBy: null, trail: withEmulatedPasses(trail, null, program, stage, packet), otherPortRows, ties: [] };
}

/**
 * Without tiers a Pass writes no row: its match is cut out of the lower rules of its tier, so the
 * flow falls through to the next band. The Pass that did so is the highest emulated pass row of a
 * band that matches above the deciding row (a matching rule above the Pass decides in its band,
 * one below it cannot match). It joins the trail as `passed`, as the real row does with tiers.
 */
function withEmulatedPasses(trail: TrailEntry[], decidedBy: AclRow | null, program: AclProgram, stage: AclStage, packet: Packet): TrailEntry[] {
  const emulated = program.emulatedPasses[stage];
  if (emulated.length === 0) return trail;
  const floor = decidedBy?.priority ?? -1;
  const bands = new Set<string>();
  const passed: TrailEntry[] = [];
  for (const acl of emulated) {
    if (acl.row.priority <= floor) break;
    const band = acl.row.priority > NETWORK_POLICY_PRIORITY_BAND.max ? 'Admin' : 'Baseline';
    if (bands.has(band) || matchRow(acl, packet, program).kind !== 'yes') continue;
    bands.add(band);
    passed.push({ row: acl.row, tier: acl.tier, result: 'passed', detail: 'pass: continue at the next tier (OVN without tiers: no row, lower rules of the tier exclude this match)' });
  }
  if (passed.length === 0) return trail;
  return [...trail, ...passed].sort((a, b) => b.row.priority - a.row.priority);
}

function decideOnly(program: AclProgram, stage: AclStage, packet: Packet): StageDecision {
  const acl = decidingAcl(program, stage, packet);
  if (acl === null) return { stage, verdict: 'allow', decidedBy: null, trail: [], otherPortRows: 0, ties: [] };
  return { stage, verdict: verdictOf(acl.row.action) as Verdict, decidedBy: acl.row, trail: [], otherPortRows: 0, ties: [] };
}

/**
 * The row that decides `stage` for `packet` (its action is allow or deny), or null when none does
 * and OVN's default allows: evaluateStage's verdict and decidedBy, without a trail. Rows OVN
 * installs no flow for (a syntax or reference error) are skipped, as in the trail.
 */
export function decidingAcl(program: AclProgram, stage: AclStage, packet: Packet): PreparedAcl | null {
  const rows = program.candidates(stage, packet.inport, packet.outport);
  let passedTier = Number.NaN; // no tier passed yet (equal to no tier)
  for (let i = 0; i < rows.length; i++) {
    const acl = rows[i]!;
    if (acl.tier === passedTier || acl.match === null) continue;
    let matched: boolean;
    try {
      matched = acl.test(packet);
    } catch (e) {
      if (!(e instanceof MatchReferenceError)) throw e;
      continue;
    }
    if (!matched) continue;
    if (acl.row.action === 'pass') {
      passedTier = acl.tier;
      continue;
    }
    return acl;
  }
  return null;
}

type RowOutcome = { kind: 'yes' } | { kind: 'no' | 'ignored'; detail: string } | { kind: 'other-port' };

function matchRow(acl: PreparedAcl, packet: Packet, program: AclProgram): RowOutcome {
  if (acl.match === null) return { kind: 'ignored', detail: `not installed by OVN: ${acl.error}` };
  try {
    if (acl.test(packet)) return { kind: 'yes' };
    const failing = firstFailingCondition(acl.match, packet, program.env);
    if (failing.type === 'compare' && (failing.field === 'inport' || failing.field === 'outport')) {
      return { kind: 'other-port' };
    }
    return { kind: 'no', detail: describeCondition(failing, packet) };
  } catch (e) {
    if (!(e instanceof MatchReferenceError)) throw e;
    return { kind: 'ignored', detail: `not installed by OVN: ${e.message}` };
  }
}

function tiesOf(rows: readonly PreparedAcl[], index: number, verdict: Verdict, packet: Packet, program: AclProgram): AclRow[] {
  const winner = rows[index]!;
  const ties: AclRow[] = [];
  for (let j = index + 1; j < rows.length; j++) {
    const other = rows[j]!;
    if (other.tier !== winner.tier || other.row.priority !== winner.row.priority) break;
    if (verdictOf(other.row.action) !== verdict && matchRow(other, packet, program).kind === 'yes') ties.push(other.row);
  }
  return ties;
}
