// The real-OVN test bed: start private OVN daemons, lay out a Kube-OVN-shaped topology, and ask
// ovn-trace for verdicts. See ovn.ts (daemons), topology.ts (switch/router/ports/LBs) and
// trace.ts (probes, verdicts, the ovn-trace daemon). `ovsdbServer.ts` (OVSDB session tests) is
// separate.
export { ovnToolsOrSkip, startOvn, type Ovn, type StartOvnOptions } from './ovn.js';
export { OVN_VERSIONS, OvnTools, ToolError, type OvnVersion } from './tools.js';
export {
  buildTopology,
  DEFAULT_NETWORK,
  kubeOvnPortName,
  macFor,
  Topology,
  type Connection,
  type LoadBalancerSpec,
  type NetworkSpec,
  type PodPort,
  type TopologyPod,
  type TopologySpec,
} from './topology.js';
export {
  deliveredPorts,
  microflow,
  PROBE_SOURCE_PORT,
  replyOf,
  TraceDaemon,
  traceOnce,
  verdictOf,
  type L4,
  type TracePacket,
  type TraceQuery,
  type TraceResult,
  type Verdict,
} from './trace.js';
export { loadBalancersForServices, type PodLike, type ServiceLike } from './services.js';
