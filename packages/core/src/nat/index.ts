export * from './kubeOvnObjects.js';
export { GATEWAY_PORT_SOURCES, type GatewayPort } from './gatewayPorts.js';
export type { NatPlan, PlannedFip, PlannedSnat, PlannedDnat, PlannedNat, NatTarget, AddressPair } from './natPlan.js';
export { resolveNat, type NatOptions, type ResolvedNat } from './resolve.js';
export { compileNat, dnatLoadBalancerName } from './compile.js';
export * from './explain.js';
