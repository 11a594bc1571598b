// Address families, asked of ovn-northd: a dual-stack distributed FIP gets one NAT row per family
// and both run on the pod's chassis; a mixed-family row (IPv4 inside, IPv6 EIP), which Kube-OVN
// writes for such a FIP, gets no NAT flows (on 23.03 the EIP is even still answered for on the
// external network: a black hole). We refuse that input instead of writing the row.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  capabilitiesForOvnVersion,
  compile,
  InputError,
  kubeOvnPortName,
  loadModel,
  renderNbctlScript,
  type CompileOptions,
} from '@ovn-nbgen/core';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { matchHasTerm, parseLogicalFlows, residentPorts, type LogicalFlow } from './lflows.js';
import { buildVpcTopology } from './vpcTopology.js';

const inventory = `
apiVersion: kubeovn.io/v1
kind: Vpc
metadata: {name: vpc1}
spec: {extraExternalSubnets: [ext]}
---
apiVersion: kubeovn.io/v1
kind: Subnet
metadata: {name: ext}
spec: {protocol: Dual, cidrBlock: "10.5.204.0/24,fd00:204::/64"}
---
apiVersion: kubeovn.io/v1
kind: Subnet
metadata: {name: net}
spec: {vpc: vpc1, protocol: Dual, cidrBlock: "192.168.0.0/24,fd00:192::/64"}
---
apiVersion: kubeovn.io/v1
kind: IP
metadata: {name: dual-0.ns}
spec: {subnet: net, v4IpAddress: 192.168.0.2, v6IpAddress: "fd00:192::2", macAddress: "00:00:00:0a:dd:27"}
---
apiVersion: kubeovn.io/v1
kind: IP
metadata: {name: v4only-0.ns}
spec: {subnet: net, v4IpAddress: 192.168.0.3, macAddress: "00:00:00:0a:dd:28"}
---
apiVersion: kubeovn.io/v1
kind: OvnEip
metadata: {name: eip-dual}
spec: {externalSubnet: ext, v4Ip: 10.5.204.101, v6Ip: "fd00:204::101"}
`;

const dualFip = `
apiVersion: kubeovn.io/v1
kind: OvnFip
metadata: {name: fip-dual}
spec: {ovnEip: eip-dual, ipName: dual-0.ns}
`;

/** An IPv4-only pod behind an IPv6-only EIP. */
const mixedFip = `
apiVersion: kubeovn.io/v1
kind: OvnEip
metadata: {name: eip-v6}
spec: {externalSubnet: ext, v6Ip: "fd00:204::9"}
---
apiVersion: kubeovn.io/v1
kind: OvnFip
metadata: {name: fip-mixed}
spec: {ovnEip: eip-v6, ipName: v4only-0.ns}
`;

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`NAT address families, ovn-northd ${version}`, () => {
    let ovn: Ovn;
    let flows: LogicalFlow[];
    const options: CompileOptions = {
      owner: 'nbgen',
      capabilities: capabilitiesForOvnVersion(version),
      portNameFor: kubeOvnPortName,
      alwaysAllowCidrs: [],
      logging: {},
    };

    beforeAll(async () => {
      ovn = await startOvn({ version });
      await buildVpcTopology(ovn, {
        vpc: 'vpc1',
        subnet: { name: 'net', routerCidrs: ['192.168.0.1/24', 'fd00:192::1/64'] },
        pods: [
          { port: 'dual-0.ns', mac: '00:00:00:0a:dd:27', ips: ['192.168.0.2', 'fd00:192::2'] },
          { port: 'v4only-0.ns', mac: '00:00:00:0a:dd:28', ips: ['192.168.0.3'] },
        ],
        externals: [{ name: 'ext', routerCidrs: ['10.5.204.254/24', 'fd00:204::254/64'], routerMac: '00:00:00:00:02:04' }],
        gatewayChassis: ['gw-1', 'gw-2'],
      });
      const { rows } = compile(loadModel([{ name: 'dual.yaml', text: `${inventory}---${dualFip}` }]).model, options);
      expect(rows.nats.map((n) => `${n.externalIp} ${n.logicalIp}`)).toEqual(['10.5.204.101 192.168.0.2', 'fd00:204::101 fd00:192::2']);
      await ovn.runScript(renderNbctlScript(rows, { owner: options.owner, capabilities: options.capabilities }));
      // The row Kube-OVN writes for the mixed FIP (its "v4:v6" case), inserted raw as libovsdb would.
      await ovn.nbctl([
        '--id=@n', 'create', 'NAT', 'type=dnat_and_snat', 'external_ip="fd00:204::9"', 'logical_ip="192.168.0.3"',
        'logical_port="v4only-0.ns"', 'external_mac="00:00:00:0a:dd:28"',
        '--', 'add', 'Logical_Router', 'vpc1', 'nat', '@n',
      ]);
      await ovn.syncSb();
      flows = parseLogicalFlows(await ovn.sbctl(['lflow-list', 'vpc1']));
    });

    afterAll(async () => {
      await ovn?.stop();
    });

    it('runs both families of the dual-stack distributed FIP on the pod\'s chassis', () => {
      const snat = (src: string, eip: string) =>
        flows.filter((f) => f.stage === 'lr_out_snat' && matchHasTerm(f, src) && f.actions.includes(`(${eip})`));
      const v4 = snat('ip4.src == 192.168.0.2', '10.5.204.101');
      const v6 = snat('ip6.src == fd00:192::2', 'fd00:204::101');
      expect([v4.length > 0, v6.length > 0]).toEqual([true, true]);
      expect([...new Set([...v4, ...v6].flatMap(residentPorts))]).toEqual(['dual-0.ns']);
      const dnat6 = flows.filter((f) => f.stage === 'lr_in_dnat' && matchHasTerm(f, 'ip6.dst == fd00:204::101'));
      expect(dnat6.some((f) => f.actions.includes('ct_dnat') && f.actions.includes('fd00:192::2'))).toBe(true);
    });

    it('gives a mixed-family row no NAT flows (23.03 still answers for its EIP); compile refuses the same FIP', () => {
      const mentions = flows.filter((f) => f.match.includes('fd00:204::9') || f.actions.includes('fd00:204::9'));
      const natStages = ['lr_in_unsnat', 'lr_in_dnat', 'lr_out_undnat', 'lr_out_snat', 'lr_in_gw_redirect'];
      expect(mentions.filter((f) => natStages.includes(f.stage))).toEqual([]);
      // 23.03 still claims the address on the external network (traffic to it arrives and dies);
      // 25.03 drops the row altogether.
      expect(mentions.some((f) => f.stage === 'lr_in_ip_input' && f.actions.startsWith('nd_na'))).toBe(version === '23.03');
      expect(readFileSync(join(ovn.dir, 'northd.log'), 'utf8')).toMatch(/bad ip .*for dnat in router/);
      let error: unknown;
      try {
        compile(loadModel([{ name: 'mixed.yaml', text: `${inventory}---${mixedFip}` }]).model, options);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toBe(
        'mixed.yaml#7 spec.ovnEip: address families do not meet: inside IPv4, OvnEip "eip-v6" IPv6; OVN ignores a NAT whose external and logical IPs differ in family',
      );
    });
  });
}
