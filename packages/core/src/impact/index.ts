// Change impact: what a new version of the policies opens or closes, judged with explain's engine per class of pods.
export { flowSpace, type FlowSpace, type PortProbe } from './flowSpace.js';
export { podClasses, type PodClass } from './podClasses.js';
export { flowKey, judgeFlowSpace, judgePods, type FlowEnd, type JudgedClassFlow } from './judge.js';
export { impactOf, type CompiledVersion, type Impact, type ImpactChange, type ImpactOptions } from './impact.js';
export { formatImpactMarkdown, formatImpactText, impactSummary, impactToJson } from './format.js';
export { classMatrix, expandClassMatrix, type ClassCell, type ClassMatrix, type ClassMatrixTable } from './classMatrix.js';
export type { NodePortColumn, NodePortMatrix, NodePortRow } from './nodePortMatrix.js';
