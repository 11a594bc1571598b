import { InputError, type InputIssue } from '../errors.js';
import { buildAclProgram } from '../explain/aclProgram.js';
import { decidingRules, decidingRuleText, type DecidingRule } from '../explain/decidingRule.js';
import type { Verdict } from '../explain/evaluateStage.js';
import { explainWithProgram, portAddressesOf, type ExplainInput, type ExplainOptions, type FlowExplanation } from '../explain/explainFlow.js';
import { FlowQueryError } from '../explain/queryError.js';
import type { ExpectedFlow } from './flowFile.js';

export interface FlowTestResult {
  readonly flow: ExpectedFlow;
  /** explain's verdict for the flow: the same function, on the same rows. */
  readonly verdict: Verdict;
  readonly passed: boolean;
  readonly deciding: readonly DecidingRule[];
  /** `deny: NetworkPolicy shop/web-ingress rule ingress/default-drop` */
  readonly decidingText: string;
  readonly explanation: FlowExplanation;
}

/**
 * Judges every flow with explain's engine (one ACL program for all of them) and compares with
 * what the file expects. A flow that cannot be judged (an unknown pod, a Service port that does
 * not exist) is bad input, reported with its file, index and field, never a failed check.
 */
export function runFlowTests(input: ExplainInput, flows: readonly ExpectedFlow[], options: ExplainOptions): FlowTestResult[] {
  const program = buildAclProgram(input.rows, portAddressesOf(input.inventory, options.portNameFor));
  const issues: InputIssue[] = [];
  const results: FlowTestResult[] = [];
  for (const flow of flows) {
    let explanation: FlowExplanation;
    try {
      // Only the verdict and the deciding rows are reported: no trail of the other rows.
      explanation = explainWithProgram(program, input.inventory, flow.query, { ...options, trail: false });
    } catch (error) {
      if (!(error instanceof FlowQueryError)) throw error;
      issues.push({ source: flow.source, path: `${flow.path}.${error.field}`, message: error.message.slice(error.field.length + 2) });
      continue;
    }
    results.push({
      flow,
      verdict: explanation.verdict,
      passed: explanation.verdict === flow.expect,
      deciding: decidingRules(explanation),
      decidingText: decidingRuleText(explanation),
      explanation,
    });
  }
  if (issues.length > 0) throw new InputError(issues);
  return results;
}
