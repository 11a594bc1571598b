export { readLiveNb } from './readLiveNb.js';
export { readLiveLayout, readLiveNbForPorts, type LiveLayout } from './readLiveNbForPorts.js';
export { liveNbFromTables, switchAclGroup, isSwitchAclGroup, type LiveNb, type LivePort, type LiveLoadBalancer } from './liveRows.js';
export { attributeAcl, describeAttribution, type RowAttribution, type RowConvention } from './attribution.js';
