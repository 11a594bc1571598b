export { SelectionIndex, podIps, ipFamilyOf, serviceSelects } from './selectionIndex.js';
export { selectorKey } from './selectorKey.js';
export { groupByNamedPort, namedPortNumber, resolveNamedPorts, type NamedPortResolution } from './namedPorts.js';
