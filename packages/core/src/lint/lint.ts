import type { Model } from '../model/model.js';
import { LintContext, type LintOptions } from './context.js';
import { sortFindings, type LintFinding } from './finding.js';
import { compileWarningFindings } from './rules/compileWarnings.js';
import { egressWithoutDns } from './rules/egressDns.js';
import { emptySelections } from './rules/emptySelections.js';
import { externalIpBlocks } from './rules/externalIpBlock.js';
import { fipPlacement } from './rules/fipPlacement.js';
import { policyInputWarnings } from './rules/policyInput.js';
import { servicePortInPolicy } from './rules/servicePort.js';
import { serviceVipIpBlocks } from './rules/serviceVipIpBlock.js';

/** Every check, by what it covers; each returns its findings (ids in the comment of its file). */
export const LINT_CHECKS = {
  /** NBG001 */
  servicePortInPolicy,
  /** NBG002, NBG003 */
  externalIpBlocks,
  /** NBG004, NBG005, NBG006 */
  emptySelections,
  /** NBG007, NBG010 */
  policyInputWarnings,
  /** NBG008 */
  egressWithoutDns,
  /** NBG009 */
  fipPlacement,
  /** NBG011 */
  serviceVipIpBlocks,
  /** NBG007 (cluster-scoped policies), NBG012, NBG013, NBG014, NBG015 */
  compileWarningFindings,
} satisfies Record<string, (ctx: LintContext) => LintFinding[]>;

/**
 * Offline checks for the surprises field reports are made of: Service ports in policies, ipBlocks
 * that SNAT defeats or that admit every SNATed source, selections that select nothing, CIDRs
 * with host bits, egress isolation without DNS, FIPs placed other than their type says.
 *
 *   const { rows, warnings } = compile(model, options);
 *   const findings = lintModel(model, { rows, compileWarnings: warnings });
 *   findings.some((f) => f.severity === 'error')
 */
export function lintModel(model: Model, options: LintOptions = {}): LintFinding[] {
  const ctx = new LintContext(model, options);
  return sortFindings(Object.values(LINT_CHECKS).flatMap((check) => check(ctx)));
}
