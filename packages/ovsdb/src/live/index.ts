export { readLiveNb } from './readLiveNb.js';
export { liveNbFromTables, switchAclGroup, isSwitchAclGroup, type LiveNb, type LivePort, type LiveLoadBalancer } from './liveRows.js';
export { attributeAcl, describeAttribution, type RowAttribution, type RowConvention } from './attribution.js';
