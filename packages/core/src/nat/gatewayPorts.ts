import type { CompileOptions } from '../compile/options.js';
import { type KubeOvnVpc, DEFAULT_VPC, type ExternalGatewayConfig } from './kubeOvnObjects.js';

/** A distributed gateway port (DGP) of a VPC router: the router's port on one external subnet. */
export interface GatewayPort {
  readonly name: string;
  readonly externalSubnet: string;
}

/**
 * The DGPs of `router`, in external-subnet order, or null when nothing says what they are.
 *
 * Given ports (`natGatewayPorts`) win: they describe the router as it is. Otherwise Kube-OVN's VPC
 * controller is followed: `spec.enableExternal` attaches the default external subnet and every
 * `spec.extraExternalSubnets` entry another one, each through an LRP named `<vpc>-<subnet>` that
 * becomes a DGP via Gateway_Chassis rows (one per node labelled `ovn.kubernetes.io/external-gw`).
 * The default external subnet is the ConfigMap's `external-gw-switch` (else `external`); with
 * `enable-external-gw: "true"` the ConfigMap also attaches it to the default VPC `ovn-cluster`.
 */
export function gatewayPortsOf(
  router: string,
  vpc: KubeOvnVpc | undefined,
  given: CompileOptions['natGatewayPorts'],
  config: ExternalGatewayConfig | null,
  defaultExternalSubnet: string,
): readonly GatewayPort[] | null {
  const listed = given?.[router];
  if (listed) {
    return Object.entries(listed)
      .map(([externalSubnet, name]) => ({ name, externalSubnet }))
      .sort((a, b) => (a.externalSubnet < b.externalSubnet ? -1 : 1));
  }
  const defaultVpcAttached = router === DEFAULT_VPC && config?.enabled === true;
  if (!vpc && !defaultVpcAttached) return null;
  const subnets = new Set(vpc?.extraExternalSubnets ?? []);
  if (vpc?.enableExternal || defaultVpcAttached) subnets.add(defaultExternalSubnet);
  return [...subnets].sort().map((externalSubnet) => ({ name: `${router}-${externalSubnet}`, externalSubnet }));
}

export function describeGatewayPorts(ports: readonly GatewayPort[]): string {
  return ports.map((p) => `${p.name} on ${p.externalSubnet}`).join(', ');
}

/**
 * How a caller supplies a router's gateway ports; every error about a missing one names all three.
 * In library terms: the CLI names its flag and commands for the same three (cli/src/coreWording.ts).
 */
export const GATEWAY_PORT_SOURCES =
  'give them in the compile option natGatewayPorts (router -> external subnet -> LRP), name the external subnet in ConfigMap kube-system/ovn-external-gw-config (external-gw-switch) among the inputs, or read them from the router in the live NB';
