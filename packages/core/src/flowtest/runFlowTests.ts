import { InputError, type InputIssue } from '../errors.js';
import { buildAclProgram } from '../explain/aclProgram.js';
import { decidingRuleText, ruleLine, sharedDecidingRules, sharedPathRules, type DecidingRule } from '../explain/decidingRule.js';
import type { Verdict } from '../explain/evaluateStage.js';
import { judgeFlow, portAddressesOf, type ExplainInput, type ExplainOptions, type FlowExplanation } from '../explain/explainFlow.js';
import { judgePodFlow } from '../explain/podFlow.js';
import { FlowQueryError } from '../explain/queryError.js';
import type { MatchExpr } from '../match/ast.js';
import type { AclRow } from '../rows/index.js';
import type { ExpectedFlow } from './flowFile.js';

export interface FlowTestResult {
  readonly flow: ExpectedFlow;
  /** explain's verdict for the flow: the same function, on the same rows. */
  readonly verdict: Verdict;
  readonly passed: boolean;
  readonly deciding: readonly DecidingRule[];
  /** `deny: NetworkPolicy shop/web-ingress rule ingress/default-drop` */
  readonly decidingText: string;
  /** The address family the flow was judged in (the file's, or the one explain picks). */
  readonly family: 4 | 6;
}

export interface FlowTestInput extends ExplainInput {
  /**
   * The tree each ACL row's match was printed from, when the rows were compiled in this process
   * (CompileOptions.onMatchTree): the rows are judged on these trees instead of their text parsed
   * back (test/e2e/flowtest/sharedTrees.test.ts holds both verdicts equal on every e2e scenario).
   * Rows without one are parsed, as explain parses all of them.
   */
  readonly matchTrees?: ReadonlyMap<AclRow, MatchExpr>;
}

/**
 * Judges every flow with explain's engine (one ACL program for all of them) and compares with
 * what the file expects. A flow that cannot be judged (an unknown pod, a Service port that does
 * not exist) is bad input, reported with its file, index and field, never a failed check.
 */
export function runFlowTests(input: FlowTestInput, flows: readonly ExpectedFlow[], options: ExplainOptions): FlowTestResult[] {
  const trees = input.matchTrees;
  // The port → addresses map only if a row reads a port group's `_ip4`/`_ip6` set (10,000 port
  // names made for nothing otherwise).
  const portAddresses = () => portAddressesOf(input.inventory, options.portNameFor);
  const program = buildAclProgram(input.rows, portAddresses, [], trees && ((row) => trees.get(row)));
  const issues: InputIssue[] = [];
  const results: FlowTestResult[] = [];
  // An indexed loop: for-of makes an iterator result per flow until the loop is optimized.
  for (let i = 0; i < flows.length; i++) {
    const flow = flows[i]!;
    // A flow from one OVN pod to another (most of a flows file): judgeFlow's verdict, rows and
    // family without the explanation around them (about 500 bytes a flow, made and dropped).
    const podFlow = judgePodFlow(program, input.inventory, flow.query, options);
    if (podFlow !== null) {
      const deciding = sharedPathRules(podFlow.verdict, podFlow.decidingRows);
      results.push({
        flow,
        verdict: podFlow.verdict,
        passed: podFlow.verdict === flow.expect,
        deciding,
        decidingText: ruleLine(podFlow.verdict, null, deciding),
        family: podFlow.family,
      });
      continue;
    }
    let explanation: FlowExplanation;
    try {
      // Only the verdict and the deciding rows are reported: no stages, no hints.
      explanation = judgeFlow(program, input.inventory, flow.query, options);
    } catch (error) {
      if (!(error instanceof FlowQueryError)) throw error;
      issues.push({ source: flow.source, path: `${flow.path}.${error.field}`, message: error.message.slice(error.field.length + 2) });
      continue;
    }
    const deciding = sharedDecidingRules(explanation);
    // The explanation itself is not kept: its paths and ends (about 300 bytes a flow) would
    // survive every young-generation collection until the report (10,000 flows: 3 MB copied
    // again and again); the report reads the verdict, the deciding rules and the family.
    results.push({
      flow,
      verdict: explanation.verdict,
      passed: explanation.verdict === flow.expect,
      deciding,
      decidingText: decidingRuleText(explanation, deciding),
      family: explanation.family,
    });
  }
  if (issues.length > 0) throw new InputError(issues);
  return results;
}
