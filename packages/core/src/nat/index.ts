export * from './model';
export type { GatewayPort } from './gatewayPorts';
export type { NatPlan, PlannedFip, PlannedSnat, PlannedDnat, PlannedNat, NatTarget, AddressPair } from './plan';
export { resolveNat, type NatOptions, type ResolvedNat } from './resolve';
export { compileNat, dnatLoadBalancerName } from './compile';
export * from './explain';
