// A VPC router with TWO distributed gateway ports (Kube-OVN `extraExternalSubnets` with two
// subnets), and a stateless FIP. Asked of ovn-northd: does each NAT leave through the gateway port
// of its EIP's external subnet (the `gateway_port` we write), on the right chassis, and does
// `ovn-nbgen.io/stateless` give conntrack-free rewrites?
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilitiesForOvnVersion, compile, kubeOvnPortName, loadModel, renderNbctlScript, type CompileOptions } from '@ovn-nbgen/core';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { matchHasTerm, parseLogicalFlows, residentPorts, type LogicalFlow } from './lflows.js';
import { buildVpcTopology } from './vpcTopology.js';

const manifests = `
apiVersion: kubeovn.io/v1
kind: Vpc
metadata: {name: vpc1}
spec: {extraExternalSubnets: [ext-a, ext-b]}
---
apiVersion: kubeovn.io/v1
kind: Subnet
metadata: {name: ext-a}
spec: {cidrBlock: 10.5.204.0/24}
---
apiVersion: kubeovn.io/v1
kind: Subnet
metadata: {name: ext-b}
spec: {cidrBlock: 10.5.205.0/24}
---
apiVersion: kubeovn.io/v1
kind: Subnet
metadata: {name: vpc1-subnet1}
spec: {vpc: vpc1, cidrBlock: 192.168.0.0/24}
---
apiVersion: kubeovn.io/v1
kind: IP
metadata: {name: a-0.ns}
spec: {subnet: vpc1-subnet1, v4IpAddress: 192.168.0.2, macAddress: "00:00:00:0a:dd:27"}
---
apiVersion: kubeovn.io/v1
kind: IP
metadata: {name: b-0.ns}
spec: {subnet: vpc1-subnet1, v4IpAddress: 192.168.0.3, macAddress: "00:00:00:0a:dd:28"}
---
apiVersion: kubeovn.io/v1
kind: OvnEip
metadata: {name: eip-a}
spec: {externalSubnet: ext-a, v4Ip: 10.5.204.101}
---
apiVersion: kubeovn.io/v1
kind: OvnEip
metadata: {name: eip-b}
spec: {externalSubnet: ext-b, v4Ip: 10.5.205.102}
---
apiVersion: kubeovn.io/v1
kind: OvnEip
metadata: {name: eip-b-snat}
spec: {externalSubnet: ext-b, v4Ip: 10.5.205.115}
---
apiVersion: kubeovn.io/v1
kind: OvnEip
metadata: {name: eip-a-ssh}
spec: {externalSubnet: ext-a, v4Ip: 10.5.204.130}
---
apiVersion: kubeovn.io/v1
kind: OvnDnatRule
metadata: {name: ssh-b}
spec: {ovnEip: eip-a-ssh, ipName: b-0.ns, protocol: tcp, internalPort: 22, externalPort: 2222}
---
apiVersion: kubeovn.io/v1
kind: OvnFip
metadata: {name: fip-a}
spec: {ovnEip: eip-a, ipName: a-0.ns}
---
apiVersion: kubeovn.io/v1
kind: OvnFip
metadata:
  name: fip-b
  annotations: {ovn-nbgen.io/stateless: "true"}
spec: {ovnEip: eip-b, ipName: b-0.ns, type: centralized}
---
apiVersion: kubeovn.io/v1
kind: OvnSnatRule
metadata: {name: snat-b}
spec: {ovnEip: eip-b-snat, vpcSubnet: vpc1-subnet1}
`;

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`NAT on a router with two gateway ports, ovn-northd ${version}`, () => {
    let ovn: Ovn;
    let flows: LogicalFlow[];

    beforeAll(async () => {
      ovn = await startOvn({ version });
      await buildVpcTopology(ovn, {
        vpc: 'vpc1',
        subnet: { name: 'vpc1-subnet1', routerCidrs: ['192.168.0.1/24'] },
        pods: [
          { port: 'a-0.ns', mac: '00:00:00:0a:dd:27', ips: ['192.168.0.2'] },
          { port: 'b-0.ns', mac: '00:00:00:0a:dd:28', ips: ['192.168.0.3'] },
        ],
        externals: [
          { name: 'ext-a', routerCidrs: ['10.5.204.254/24'], routerMac: '00:00:00:00:02:04' },
          { name: 'ext-b', routerCidrs: ['10.5.205.254/24'], routerMac: '00:00:00:00:02:05' },
        ],
        gatewayChassis: ['gw-1', 'gw-2'],
      });
      const options: CompileOptions = {
        owner: 'nbgen',
        capabilities: capabilitiesForOvnVersion(version),
        portNameFor: kubeOvnPortName,
        alwaysAllowCidrs: [],
        logging: {},
      };
      const { rows, warnings } = compile(loadModel([{ name: 'two-ports.yaml', text: manifests }]).model, options);
      expect(warnings.map((w) => w.code)).toEqual(['NAT_LB_MULTIPLE_GATEWAY_PORTS']);
      expect(rows.nats.map((n) => [n.externalIp, n.gatewayPort])).toEqual([
        ['10.5.204.101', 'vpc1-ext-a'],
        ['10.5.205.102', 'vpc1-ext-b'],
        ['10.5.205.115', 'vpc1-ext-b'],
      ]);
      await ovn.runScript(renderNbctlScript(rows, { owner: options.owner, capabilities: options.capabilities }));
      await ovn.syncSb();
      flows = parseLogicalFlows(await ovn.sbctl(['lflow-list', 'vpc1']));
    });

    afterAll(async () => {
      await ovn?.stop();
    });

    /** The gateway port and chassis gating of every lr_out_snat flow that SNATs from `from`. */
    const snatPlacement = (from: string): string[] => [
      ...new Set(
        flows
          .filter((f) => f.stage === 'lr_out_snat' && matchHasTerm(f, `ip4.src == ${from}`))
          .map((f) => `${/outport == "([^"]+)"/.exec(f.match)?.[1]} @ ${residentPorts(f).join(',')}`),
      ),
    ].sort();

    it('each NAT leaves through the gateway port of its EIP\'s external subnet', () => {
      expect(snatPlacement('192.168.0.2')).toEqual(['vpc1-ext-a @ a-0.ns']);
      expect(snatPlacement('192.168.0.3')).toEqual(['vpc1-ext-b @ cr-vpc1-ext-b']);
      expect(snatPlacement('192.168.0.0/24')).toEqual(['vpc1-ext-b @ cr-vpc1-ext-b']);
    });

    it(`northd ${version === '23.03' ? 'warns that it does not support' : 'supports'} the DNAT load balancer on a router with two gateway ports`, () => {
      const northdLog = readFileSync(join(ovn.dir, 'northd.log'), 'utf8');
      const unsupported = northdLog.includes('Load-balancer is not supported yet when there is more than one distributed gateway port');
      // What our NAT_LB_MULTIPLE_GATEWAY_PORTS warning says: unsupported before 25.03.
      expect(unsupported).toBe(version === '23.03');
      const lb = flows.filter((f) => f.stage === 'lr_in_dnat' && matchHasTerm(f, 'ip4.dst == 10.5.204.130'));
      if (version !== '23.03') {
        expect(lb.length).toBeGreaterThan(0);
        expect(lb.every((f) => /ct_lb(_mark)?\(backends=192\.168\.0\.3:22\)/.test(f.actions))).toBe(true);
      }
    });

    it('the stateless FIP rewrites addresses without conntrack', () => {
      const dnat = flows.filter((f) => f.stage === 'lr_in_dnat' && matchHasTerm(f, 'ip4.dst == 10.5.205.102'));
      expect(dnat.length).toBeGreaterThan(0);
      expect(dnat.every((f) => /ip4\.dst ?= ?192\.168\.0\.3;/.test(f.actions) && !f.actions.includes('ct_'))).toBe(true);
      const snat = flows.filter((f) => f.stage === 'lr_out_snat' && matchHasTerm(f, 'ip4.src == 192.168.0.3'));
      expect(snat.length).toBeGreaterThan(0);
      expect(snat.every((f) => /ip4\.src ?= ?10\.5\.205\.102;/.test(f.actions) && !f.actions.includes('ct_'))).toBe(true);
    });
  });
}
