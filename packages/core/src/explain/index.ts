// Explain: why a flow is allowed or dropped, judged from compiled rows the way OVN evaluates them.
export { tokenize, MatchSyntaxError, type Token, type TokenKind, type RelOp } from './match/lexer.js';
export { formatMatchExpr, type MatchExpr, type MatchValue } from '../match/index.js';
export { parseMatch } from './match/parser.js';
export { evaluateMatch, parseAddressSetEntries, MatchReferenceError, type MatchEnvironment, type MaskedValue, type Packet as MatchPacket } from './match/evaluate.js';
export { buildAclProgram, stageOf, ACL_STAGES, type AclProgram, type AclStage, type PreparedAcl } from './aclProgram.js';
export { evaluateStage, verdictOf, type StageDecision, type TrailEntry, type Verdict } from './evaluateStage.js';
export { ROUTER_PORT, serviceBackends, type ServiceBackend } from './endpoints.js';
export { FlowQueryError, type FlowQueryField } from './queryError.js';
export { explainFlow, explainWithProgram, judgeFlow, portAddressesOf, DEFAULT_SOURCE_PORT, type ExplainInput, type ExplainedPath, type ExplainOptions, type FlowExplanation, type FlowPath, type FlowProtocol, type FlowQuery, type PathEnd } from './explainFlow.js';
export { traceHops, originOf, type DecidingRow, type HopSpec, type PathStage, type ProbeSpec, type RowOrigin, type TracedPath } from './path.js';
export { reachabilityMatrix, type MatrixCell, type MatrixProbe, type MatrixTable, type NodePortTable, type ReachabilityMatrix } from './matrix.js';
export { describeAclRow, explanationToJson, formatExplanation, formatMatrix, rowSummary } from './format.js';
export { decisionChain, formatChain, type ChainStep } from './chain.js';
export { decidingRules, decidingRuleText, type DecidingRule, type JudgedFlow } from './decidingRule.js';
