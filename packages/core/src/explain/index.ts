// Explain: why a flow is allowed or dropped, judged from compiled rows the way OVN evaluates them.
export { tokenize, MatchSyntaxError, type Token, type TokenKind, type RelOp } from './match/lexer';
export { formatMatchExpr, type MatchExpr, type MatchValue } from './match/ast';
export { parseMatch } from './match/parser';
export {
  evaluateMatch,
  parseAddressSetEntries,
  MatchReferenceError,
  type MatchEnvironment,
  type MaskedValue,
  type Packet as MatchPacket,
} from './match/evaluate';
export { buildAclProgram, stageOf, ACL_STAGES, type AclProgram, type AclStage, type PreparedAcl } from './aclProgram';
export { evaluateStage, verdictOf, type StageDecision, type TrailEntry, type Verdict } from './evaluateStage';
export { ROUTER_PORT, serviceBackends, type ServiceBackend } from './endpoints';
export { FlowQueryError, type FlowQueryField } from './queryError';
export {
  explainFlow,
  explainWithProgram,
  portAddressesOf,
  DEFAULT_SOURCE_PORT,
  type ExplainInput,
  type ExplainOptions,
  type FlowExplanation,
  type FlowPath,
  type FlowProtocol,
  type FlowQuery,
  type PathEnd,
} from './explainFlow';
export { traceHops, originOf, type DecidingRow, type HopSpec, type PathStage, type ProbeSpec, type RowOrigin, type TracedPath } from './path';
export { reachabilityMatrix, type MatrixCell, type MatrixProbe, type MatrixTable, type ReachabilityMatrix } from './matrix';
export { describeAclRow, explanationToJson, formatExplanation, formatMatrix, rowSummary } from './format';
export { decidingRules, decidingRuleText, type DecidingRule, type JudgedFlow } from './decidingRule.js';
