// @ovn-nbgen/core: pure compile, explain and lint. No sockets, no filesystem, no node:* imports.
//
// The root entry is what a controller or a test author uses: load manifests, compile (once, or
// incrementally with a CompileSession fed by watch events), explain a flow, lint, render the
// ovn-nbctl script, the errors these throw and the types they take and give. The parts below
// them are subpath exports:
//   @ovn-nbgen/core/model    per-kind models and compilers, rows piece by piece, selectors, IPs, names
//   @ovn-nbgen/core/explain  the ACL program, matrices, flow tests, impact, the review report
//   @ovn-nbgen/core/lint     every lint check
//   @ovn-nbgen/core/script   the script renderer's parts and the deletion guard

// Target and options: `owner` and `capabilities` are required, the rest has defaults.
export { capabilitiesForOvnVersion, DEFAULT_OVN_VERSION, OvnVersionError, type Capabilities } from './capabilities.js';
export { kubeOvnPortName, withCompileDefaults, type AclLogging, type CompileOptions, type CompileOptionsInput } from './compile/options.js';
// An ACL match as a tree (CompileOptions.onMatchTree hands out the compiler's).
export type { MatchExpr } from './match/ast.js';
export { DEFAULT_OWNER, type ExternalIds, type ObjectRef, type OwnedKind } from './ownership.js';

// Load.
export { loadModel, type LoadedModel, type LoadOptions } from './manifests/load.js';
export { readObjects, type ManifestSource, type RawObject } from './manifests/documents.js';
export type { Model, IgnoredObject } from './model/model.js';
export type { Inventory, Namespace, Node, Pod, Service } from './model/inventory.js';
export type { NetworkPolicy } from './netpol/networkPolicy.js';
export type { TieredPolicy } from './tiers/tieredPolicy.js';

// Compile, once or incrementally.
export { compile, type CompileResult } from './compile/compile.js';
export {
  CompileSession,
  emptyRowDelta,
  manifestId,
  objectsOfDelta,
  ownerObjectOf,
  readManifest,
  rowKey,
  type ManifestReading,
  type ModelObject,
  type ObjectId,
  type RowDelta,
  type SessionEvent,
} from './session/index.js';
export { JsonObjectSplitter, watchEventsOf, watchEventsOfText, WatchStreamSyntaxError, type WatchEvent } from './watch/index.js';

// The rows a compile gives.
export {
  AclRow,
  AddressSetRow,
  emptyNbRows,
  groupNbRows,
  listNbRows,
  LoadBalancerRow,
  mergeNbRows,
  NatRow,
  PortGroupRow,
  sortNbRows,
  type NbRow,
  type NbRows,
  type NbTable,
} from './rows/index.js';

// Explain, lint, render.
export {
  explainFlow,
  explanationToJson,
  formatExplanation,
  FlowQueryError,
  MatchSyntaxError,
  type ExplainInput,
  type ExplainOptions,
  type FlowExplanation,
  type FlowQuery,
  type Verdict,
} from './explain/index.js';
export { lintModel, formatFindings, type LintFinding, type LintOptions, type LintSeverity } from './lint/index.js';
export { renderNbctlScript, ScriptValueError, type NbctlScriptOptions } from './script/index.js';

// Errors and warnings.
export { CapabilityError } from './tables/index.js';
export {
  CompileOptionError,
  formatInputIssue,
  formatSource,
  formatWarning,
  InputError,
  type CompileWarning,
  type CompileWarningCode,
  type InputIssue,
  type SourceRef,
} from './errors.js';
