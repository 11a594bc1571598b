import type { CompileOptions } from '../compile/options.js';
import { DEFAULT_EXTERNAL_SUBNET, type KubeOvnVpc } from './model.js';

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
 */
export function gatewayPortsOf(
  router: string,
  vpc: KubeOvnVpc | undefined,
  given: CompileOptions['natGatewayPorts'],
): readonly GatewayPort[] | null {
  const listed = given?.[router];
  if (listed) {
    return Object.entries(listed)
      .map(([externalSubnet, name]) => ({ name, externalSubnet }))
      .sort((a, b) => (a.externalSubnet < b.externalSubnet ? -1 : 1));
  }
  if (!vpc) return null;
  const subnets = new Set(vpc.extraExternalSubnets);
  if (vpc.enableExternal) subnets.add(DEFAULT_EXTERNAL_SUBNET);
  return [...subnets].sort().map((externalSubnet) => ({ name: `${router}-${externalSubnet}`, externalSubnet }));
}

export function describeGatewayPorts(ports: readonly GatewayPort[]): string {
  return ports.map((p) => `${p.name} on ${p.externalSubnet}`).join(', ');
}
