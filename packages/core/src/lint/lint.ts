import type { Model } from '../model/model';
import { LintContext, type LintOptions } from './context';
import { sortFindings, type LintFinding } from './finding';
import { adminDenyOverrides } from './rules/adminDenyOverride.js';
import { egressWithoutDns } from './rules/egressDns';
import { emptySelections } from './rules/emptySelections';
import { externalIpBlocks } from './rules/externalIpBlock';
import { fipPlacement } from './rules/fipPlacement';
import { egressPodSelectorToNodePort } from './rules/nodePortEgress.js';
import { policyInputWarnings } from './rules/policyInput';
import { servicePortInPolicy } from './rules/servicePort';
import { serviceVipIpBlocks } from './rules/serviceVipIpBlock';

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
  /** NBG012 */
  adminDenyOverrides,
  /** NBG013 */
  egressPodSelectorToNodePort,
} satisfies Record<string, (ctx: LintContext) => LintFinding[]>;

/**
 * Offline checks for the surprises field reports are made of: Service ports in policies, ipBlocks
 * that SNAT defeats or that admit every SNATed source, selections that select nothing, CIDRs
 * with host bits, egress isolation without DNS, FIPs placed other than their type says.
 *
 *   const findings = lintModel(loadModel(sources).model, { rows: compile(model, options).rows });
 *   findings.some((f) => f.severity === 'error')
 */
export function lintModel(model: Model, options: LintOptions = {}): LintFinding[] {
  const ctx = new LintContext(model, options);
  return sortFindings(Object.values(LINT_CHECKS).flatMap((check) => check(ctx)));
}
