import { explainFlow, FlowQueryError, type FlowExplanation, type FlowQuery, type Model, type NbRows, type Pod } from '@ovn-nbgen/core';
import { describeAclRow } from '@ovn-nbgen/core/explain';
import { attributeAcl, describeAttribution } from '@ovn-nbgen/ovsdb/live';
import type { LiveSource } from './liveSource.js';

export interface Disagreement {
  readonly flow: FlowQuery;
  readonly live: FlowExplanation;
  readonly compiled: FlowExplanation;
}

export interface AuditResult {
  readonly compared: number;
  /** Flows one side cannot judge (e.g. a pod the NB has no port for), with why. */
  readonly skipped: readonly { readonly flow: FlowQuery; readonly reason: string }[];
  readonly disagreements: readonly Disagreement[];
}

/**
 * Every flow judged twice: from the live NB's rows and from nbgen's compile of the same manifests.
 * A disagreement is a CNI that has not (or wrongly) applied a policy, or rows nobody owns any more.
 */
export function auditLiveNb(
  manifests: { readonly model: Model; readonly rows: NbRows; readonly portNameFor: (pod: Pod) => string },
  live: LiveSource,
  flows: readonly FlowQuery[],
): AuditResult {
  const skipped: { flow: FlowQuery; reason: string }[] = [];
  const disagreements: Disagreement[] = [];
  let compared = 0;
  for (const flow of flows) {
    let compiled: FlowExplanation;
    let judged: FlowExplanation;
    try {
      compiled = explainFlow({ inventory: manifests.model, rows: manifests.rows }, flow, { portNameFor: manifests.portNameFor });
      judged = explainFlow({ inventory: live.inventory, rows: live.rows }, flow, { portNameFor: live.portNameFor, serviceBackends: live.serviceBackends });
    } catch (error) {
      if (!(error instanceof FlowQueryError)) throw error;
      skipped.push({ flow, reason: error.message });
      continue;
    }
    compared++;
    if (judged.verdict !== compiled.verdict) disagreements.push({ flow, live: judged, compiled });
  }
  return { compared, skipped, disagreements };
}

/** The report: each disagreement with the live row that decided and the rule nbgen says should. */
export function formatAudit(result: AuditResult, live: LiveSource): string {
  const out: string[] = [];
  for (const d of result.disagreements) {
    const f = d.flow;
    out.push(`${f.from} -> ${f.to} ${f.protocol}${f.port === null ? '' : ` ${f.port}`}: NB ${d.live.verdict}, nbgen ${d.compiled.verdict}`);
    out.push(`  NB decided by:    ${decidedBy(d.live, (row) => `${describeAttribution(row, attributeAcl(row, live.live.portGroupExternalIds.get(row.portGroup)))}: ${row.match}`)}`);
    out.push(`  nbgen decided by: ${decidedBy(d.compiled, (row) => `${describeAclRow(row)}: ${row.match}`)}`);
  }
  const skipped = result.skipped.length > 0 ? `, ${result.skipped.length} not judged (${firstReasons(result)})` : '';
  out.push(`${result.disagreements.length === 0 ? 'agree' : `${result.disagreements.length} disagreements`}: ${result.compared} flows compared${skipped}`);
  return `${out.join('\n')}\n`;
}

function decidedBy(e: FlowExplanation, describe: (row: FlowExplanation['paths'][number]['decidingRows'][number]['row']) => string): string {
  const rows = e.paths.flatMap((p) => p.decidingRows);
  if (rows.length === 0) return 'no ACL matched (OVN default: allow)';
  const deny = rows.find((d) => d.row.action === 'drop' || d.row.action === 'reject');
  const shown = e.verdict === 'deny' && deny ? [deny] : rows;
  return shown.map((d) => `${d.stage} ${describe(d.row)}`).join('; ');
}

function firstReasons(result: AuditResult): string {
  const reasons = [...new Set(result.skipped.map((s) => s.reason))];
  return reasons.slice(0, 2).join('; ') + (reasons.length > 2 ? '; ...' : '');
}
