import { InputError, type InputIssue } from '../errors.js';
import { buildAclProgram } from '../explain/aclProgram.js';
import { decidingRules, decidingRuleText, type DecidingRule } from '../explain/decidingRule.js';
import type { Verdict } from '../explain/evaluateStage.js';
import { judgeFlow, portAddressesOf, type ExplainInput, type ExplainOptions, type FlowExplanation } from '../explain/explainFlow.js';
import { FlowQueryError } from '../explain/queryError.js';
import { printedTreeOf } from '../match/printedTree.js';
import type { ExpectedFlow } from './flowFile.js';

export interface FlowTestResult {
  readonly flow: ExpectedFlow;
  /** explain's verdict for the flow: the same function, on the same rows. */
  readonly verdict: Verdict;
  readonly passed: boolean;
  readonly deciding: readonly DecidingRule[];
  /** `deny: NetworkPolicy shop/web-ingress rule ingress/default-drop` */
  readonly decidingText: string;
  /** judgeFlow's explanation: the paths and deciding rows, without stages or hints (explainFlow has them). */
  readonly explanation: FlowExplanation;
}

/**
 * Judges every flow with explain's engine (one ACL program for all of them) and compares with
 * what the file expects. A flow that cannot be judged (an unknown pod, a Service port that does
 * not exist) is bad input, reported with its file, index and field, never a failed check.
 */
export function runFlowTests(input: ExplainInput, flows: readonly ExpectedFlow[], options: ExplainOptions): FlowTestResult[] {
  // Rows this process compiled carry the trees their matches were printed from: no parsing back
  // (test/e2e/flowtest/sharedTrees.test.ts holds those verdicts to the parsed text's).
  const program = buildAclProgram(input.rows, portAddressesOf(input.inventory, options.portNameFor), [], printedTreeOf);
  const issues: InputIssue[] = [];
  const results: FlowTestResult[] = [];
  for (const flow of flows) {
    let explanation: FlowExplanation;
    try {
      // Only the verdict and the deciding rows are reported: no stages, no hints.
      explanation = judgeFlow(program, input.inventory, flow.query, options);
    } catch (error) {
      if (!(error instanceof FlowQueryError)) throw error;
      issues.push({ source: flow.source, path: `${flow.path}.${error.field}`, message: error.message.slice(error.field.length + 2) });
      continue;
    }
    const deciding = decidingRules(explanation);
    results.push({
      flow,
      verdict: explanation.verdict,
      passed: explanation.verdict === flow.expect,
      deciding,
      decidingText: decidingRuleText(explanation, deciding),
      explanation,
    });
  }
  if (issues.length > 0) throw new InputError(issues);
  return results;
}
