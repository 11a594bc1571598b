// The logical network Kube-OVN's VPC controller builds for a VPC with an external subnet, made
// with ovn-nbctl so the NAT rows under test land where Kube-OVN's would:
//
//   pods ──LSP── switch <subnet> ──LRP <vpc>-<subnet>── router <vpc> ──LRP <vpc>-<ext> (gateway port,
//   Gateway_Chassis on every gateway node) ── switch <ext> ──localnet── the external network
//
// The gateway chassis are registered in the SB (`chassis-add`) so northd creates the
// chassisredirect port `cr-<vpc>-<ext>` that centralized NAT is pinned to.
import type { Ovn } from '../../harness/ovn.js';

export interface VpcTopology {
  readonly vpc: string;
  /** The subnet's switch and the router's addresses on it (one per family). */
  readonly subnet: { readonly name: string; readonly routerCidrs: readonly string[] };
  readonly pods: readonly { readonly port: string; readonly mac: string; readonly ips: readonly string[] }[];
  readonly externals: readonly { readonly name: string; readonly routerCidrs: readonly string[]; readonly routerMac: string }[];
  /** Gateway chassis names, highest priority first. */
  readonly gatewayChassis: readonly string[];
}

export async function buildVpcTopology(ovn: Ovn, topo: VpcTopology): Promise<void> {
  for (const [i, chassis] of topo.gatewayChassis.entries()) {
    await ovn.sbctl(['chassis-add', chassis, 'geneve', `127.0.0.${i + 1}`]);
  }
  const { vpc, subnet } = topo;
  const cmds: string[][] = [
    ['lr-add', vpc],
    ['ls-add', subnet.name],
    ['lrp-add', vpc, `${vpc}-${subnet.name}`, '00:00:00:00:01:01', ...subnet.routerCidrs],
    ...routerAttachment(subnet.name, `${subnet.name}-${vpc}`, `${vpc}-${subnet.name}`),
  ];
  for (const pod of topo.pods) {
    cmds.push(['lsp-add', subnet.name, pod.port], ['lsp-set-addresses', pod.port, [pod.mac, ...pod.ips].join(' ')]);
  }
  for (const ext of topo.externals) {
    const lrp = `${vpc}-${ext.name}`;
    cmds.push(
      ['ls-add', ext.name],
      ['lsp-add', ext.name, `localnet.${ext.name}`],
      ['lsp-set-type', `localnet.${ext.name}`, 'localnet'],
      ['lsp-set-addresses', `localnet.${ext.name}`, 'unknown'],
      ['lsp-set-options', `localnet.${ext.name}`, `network_name=${ext.name}`],
      ['lrp-add', vpc, lrp, ext.routerMac, ...ext.routerCidrs],
      ...routerAttachment(ext.name, `${ext.name}-${vpc}`, lrp),
      // Kube-OVN: one Gateway_Chassis per gateway node, priorities 100, 99, ...
      ...topo.gatewayChassis.map((chassis, i) => ['lrp-set-gateway-chassis', lrp, chassis, String(100 - i)]),
    );
  }
  await ovn.nbctl(cmds.flatMap((c, i) => (i === 0 ? c : ['--', ...c])));
}

function routerAttachment(sw: string, lsp: string, lrp: string): string[][] {
  return [
    ['lsp-add', sw, lsp],
    ['lsp-set-type', lsp, 'router'],
    ['lsp-set-addresses', lsp, 'router'],
    ['lsp-set-options', lsp, `router-port=${lrp}`],
  ];
}
