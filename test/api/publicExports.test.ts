// The public surface of the packages, pinned: adding, removing or renaming an export changes
// this snapshot, so the change is made on purpose (and reviewed) rather than by accident.
import { describe, expect, it } from 'vitest';
import * as core from '@ovn-nbgen/core';
import * as coreExplain from '@ovn-nbgen/core/explain';
import * as coreLint from '@ovn-nbgen/core/lint';
import * as coreModel from '@ovn-nbgen/core/model';
import * as coreScript from '@ovn-nbgen/core/script';
import * as ovsdb from '@ovn-nbgen/ovsdb';
import * as ovsdbCache from '@ovn-nbgen/ovsdb/cache';
import * as ovsdbErrors from '@ovn-nbgen/ovsdb/errors';
import * as ovsdbLive from '@ovn-nbgen/ovsdb/live';
import * as ovsdbMemory from '@ovn-nbgen/ovsdb/memory';
import * as ovsdbNotation from '@ovn-nbgen/ovsdb/notation';
import * as ovsdbReconcile from '@ovn-nbgen/ovsdb/reconcile';
import * as ovsdbSession from '@ovn-nbgen/ovsdb/session';
import * as ovsdbWire from '@ovn-nbgen/ovsdb/wire';

describe('public exports', () => {
  it('of @ovn-nbgen/core', () => {
    expect(Object.keys(core).sort()).toMatchSnapshot();
  });
  it('of the @ovn-nbgen/core subpaths (the parts below compile, explain, lint and render)', () => {
    const keys = (module: object) => Object.keys(module).sort();
    expect({ explain: keys(coreExplain), lint: keys(coreLint), model: keys(coreModel), script: keys(coreScript) }).toMatchSnapshot();
  });
  it('keeps every name the root exported before the split reachable from the root or a subpath', () => {
    const reachable = new Set([core, coreExplain, coreLint, coreModel, coreScript].flatMap((module) => Object.keys(module)));
    expect(CORE_ROOT_BEFORE_SPLIT.filter((name) => !reachable.has(name))).toEqual([]);
  });
  it('of @ovn-nbgen/ovsdb', () => {
    expect(Object.keys(ovsdb).sort()).toMatchSnapshot();
  });
  it('of @ovn-nbgen/ovsdb/memory and @ovn-nbgen/ovsdb/wire (internals for tests and tools)', () => {
    expect({ memory: Object.keys(ovsdbMemory).sort(), wire: Object.keys(ovsdbWire).sort() }).toMatchSnapshot();
  });
  it('of the @ovn-nbgen/ovsdb subpaths (the parts below the client and the reconciler)', () => {
    const keys = (module: object) => Object.keys(module).sort();
    expect({
      cache: keys(ovsdbCache),
      errors: keys(ovsdbErrors),
      live: keys(ovsdbLive),
      notation: keys(ovsdbNotation),
      reconcile: keys(ovsdbReconcile),
      session: keys(ovsdbSession),
    }).toMatchSnapshot();
  });
  it('keeps every name the ovsdb root exported before the split reachable from the root or a subpath', () => {
    const subpaths = [ovsdb, ovsdbCache, ovsdbErrors, ovsdbLive, ovsdbNotation, ovsdbReconcile, ovsdbSession];
    const reachable = new Set(subpaths.flatMap((module) => Object.keys(module)));
    expect(OVSDB_ROOT_BEFORE_SPLIT.filter((name) => !reachable.has(name))).toEqual([]);
  });
  it('keeps the in-memory server and the wire codec out of the main entry', () => {
    for (const name of [...Object.keys(ovsdbMemory), ...Object.keys(ovsdbWire)]) expect(Object.keys(ovsdb)).not.toContain(name);
  });
});

/** The 183 runtime names @ovn-nbgen/core's root exported before it was curated (issue 14). */
const CORE_ROOT_BEFORE_SPLIT: readonly string[] = [
  'ACL_STAGES', 'AclRow', 'AddressSetRow', 'BANP_EFFECTIVE_PRIORITY', 'CapabilityError', 'CompileSession',
  'DEFAULT_DELETION_LIMIT', 'DEFAULT_EXTERNAL_SUBNET', 'DEFAULT_JOIN_CIDRS', 'DEFAULT_OVN_VERSION',
  'DEFAULT_OWNER', 'DEFAULT_SOURCE_PORT', 'DEFAULT_VPC', 'DeletionLimitError', 'EXTERNAL_GW_CONFIG_NAME',
  'EXTERNAL_GW_CONFIG_NAMESPACE', 'EXTERNAL_GW_NODE_LABEL', 'FlowQueryError', 'InputError',
  'JsonObjectSplitter', 'LINT_CHECKS', 'LoadBalancerRow', 'MAX_ACL_PRIORITY', 'MatchReferenceError',
  'MatchSyntaxError', 'NAMESPACE_NAME_LABEL', 'NB_TABLE_ORDER', 'NETWORK_POLICY_PRIORITIES',
  'NETWORK_POLICY_PRIORITY_BAND', 'NETWORK_POLICY_TIER', 'NODE_JOIN_IP_ANNOTATION', 'NatRow',
  'OBJECT_KIND_KEY', 'OBJECT_NAMESPACE_KEY', 'OBJECT_NAME_KEY', 'OWNER_KEY', 'PortGroupRow', 'ROUTER_PORT',
  'ROW_ID_KEY', 'STATELESS_ANNOTATION', 'ScriptValueError', 'SelectionIndex', 'TIER_NUMBERS',
  'WatchStreamSyntaxError', 'aclTable', 'addressSetTable', 'bandFor', 'buildAclProgram', 'canonicalIp',
  'capabilitiesForOvnVersion', 'checkDeletionLimit', 'cidrContainsCidr', 'cidrContainsIp', 'cidrsOverlap',
  'classMatrix', 'column', 'compareTieredPolicies', 'compile', 'compileClusterPolicies',
  'compileNat', 'compileNetworkPolicies', 'decidingRuleText', 'decidingRules', 'decisionChain',
  'describeAclRow', 'describeRow', 'dnatLoadBalancerName', 'dns1123LabelProblem',
  'emptyModelBuilder', 'emptyNbRows', 'emptyRowDelta', 'emulatedPassRows', 'encodeColumnValues',
  'encodeColumns', 'encodeNamePart', 'evaluateMatch', 'evaluateStage', 'expandClassMatrix', 'explainFlow',
  'explainNat', 'explainPlan', 'explainWithProgram', 'explanationToJson', 'findingLocation', 'flowKey',
  'flowLabel', 'flowSpace', 'flowTestsToJson', 'formatChain', 'formatCidr', 'formatDeletedTables',
  'formatDeletionRefusal', 'formatExplanation', 'formatFieldPath', 'formatFindings', 'formatFlowTestJunit',
  'formatFlowTestText', 'formatImpactMarkdown', 'formatImpactText', 'formatInputIssue', 'formatIp',
  'formatMatchExpr', 'formatMatrix', 'formatReportMarkdown', 'formatSource', 'formatWarning', 'identityKey',
  'impactOf', 'impactPage', 'impactSummary', 'impactToJson', 'isEmptySelector', 'isKubernetesName',
  'isOvnPod', 'judgeFlowSpace', 'judgePods', 'kubeOvnPortName', 'labelKeyProblem',
  'labelSelectorSchema', 'labelValueProblem', 'limitLength', 'lintModel', 'loadBalancerTable', 'loadModel',
  'manifestId', 'matchesLabels', 'matrixPage', 'mergeNbRows', 'namePrefixOf', 'namespaceLabels', 'natTable',
  'nbTables', 'networkPolicyAclName', 'networkPolicyPortGroupName', 'objectIdOf', 'objectsOfDelta',
  'originOf', 'ovnName', 'ovsdbMap', 'ovsdbString', 'ownedExternalIds', 'ownerObjectOf',
  'parseAddressSetEntries', 'parseCidr', 'parseDeletionLimit', 'parseFlowFile', 'parseIp', 'parseMatch',
  'podClasses', 'podPairs', 'portAddressesOf', 'portGroupTable', 'prefixMask', 'rankRules',
  'reachabilityMatrix', 'readManifest', 'readObjects', 'referenceNames', 'renderNatExplanation',
  'renderNbctlScript', 'renderReportHtml', 'resolveNat', 'rowKey', 'rowSummary', 'ruleRowId', 'runFlowTests',
  'serviceBackends', 'shellWord', 'sortFindings', 'sortNbRows', 'stableHash', 'stageOf',
  'subjectPortGroupName', 'tableTotals', 'tieredPolicyKey', 'tokenize', 'traceHops', 'verdictOf',
  'watchEventsOf', 'withCompileDefaults',
];

/** The 84 runtime names @ovn-nbgen/ovsdb's root exported before it was curated (issue 14). */
const OVSDB_ROOT_BEFORE_SPLIT: readonly string[] = [
  'CacheInconsistency', 'DEFAULT_CONNECT_TIMEOUT_MS', 'DEFAULT_DATABASE', 'DEFAULT_NB_REMOTE',
  'DEFAULT_PROBE_INTERVAL_MS', 'DEFAULT_REQUEST_TIMEOUT_MS', 'DatabaseSchema', 'MONITOR_METHODS', 'MonitorCache',
  'NbState', 'OVSDB_DEFAULT_PORT', 'OvsdbClient', 'OvsdbError', 'OvsdbSession', 'PlanMemo', 'ReconcileError',
  'Reconciler', 'ReconnectSchedule', 'RemoteSyntaxError', 'Replica', 'RowIndex', 'TableStore', 'TransactResult',
  'Transaction', 'UUID_COLUMN_TYPE', 'ZERO_UUID', 'applyColumnDiff', 'applyRowDiff', 'assertLockName',
  'attributeAcl', 'buildTransaction', 'canonicalRow', 'canonicalValue', 'capabilitiesFromSchema',
  'checkServerDatabase', 'codeForServerError', 'columnKind', 'columnSchema', 'connectChannel', 'decodeAtom',
  'decodeRow', 'decodeValue', 'defaultAtom', 'defaultNbRemotes', 'defaultValue', 'deletionCounts',
  'describeAttribution', 'encodeAtom', 'encodeMutations', 'encodeRow', 'encodeValue', 'encodeWhere',
  'exponentialBackoff', 'formatCounts', 'formatPlan', 'isEmptyPlan', 'isNamedUuid', 'isSwitchAclGroup', 'isUuid',
  'liveNbFromTables', 'mapKeyText', 'monitorRequests', 'namedUuid', 'objectKey', 'operationError',
  'parseBaseType', 'parseColumnType', 'parseRemote', 'parseRemotes', 'parseTransactResult', 'planCounts',
  'planMonitor', 'planReconcile', 'readLiveLayout', 'readLiveNb', 'readLiveNbForPorts', 'rowsEqual', 'setEntry',
  'splitRemoteList', 'stateMonitorTables', 'switchAclGroup', 'uuid', 'validateRow', 'valuesEqual',
];
