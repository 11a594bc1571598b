import { describe, expect, it } from 'vitest';
import { compileNat } from '../../src/nat/compile.js';
import { resolveNat } from '../../src/nat/resolve.js';
import { explainNat } from '../../src/nat/explain.js';
import { documents, inputErrorOf, kubeOvnObject, loadNatModel, node, options } from './fixture.js';

/** A VPC attached to the default external subnet (enableExternal), which the cluster calls external0. */
const cluster = documents(
  kubeOvnObject('Subnet', 'external0', '{cidrBlock: 10.6.0.0/24}'),
  kubeOvnObject('Vpc', 'vpc1', '{enableExternal: true}'),
  kubeOvnObject('Subnet', 'vpc1-subnet1', '{vpc: vpc1, cidrBlock: 192.168.0.0/24}'),
  kubeOvnObject('IP', 'pod1.ns1', '{subnet: vpc1-subnet1, v4IpAddress: 192.168.0.2, macAddress: "00:00:00:0a:dd:27", nodeName: worker-1}'),
);

const configMap = (data: string, name = 'ovn-external-gw-config', namespace = 'kube-system') => `
apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: ${namespace}}
data: {${data}}
`;

const nat = (subnet: string) => `
apiVersion: kubeovn.io/v1
kind: OvnEip
metadata: {name: eip1}
spec: {${subnet}v4Ip: 10.6.0.101}
---
apiVersion: kubeovn.io/v1
kind: OvnFip
metadata: {name: fip1}
spec: {ovnEip: eip1, ipName: pod1.ns1}
---
apiVersion: kubeovn.io/v1
kind: OvnEip
metadata: {name: eip2}
spec: {${subnet}v4Ip: 10.6.0.115}
---
apiVersion: kubeovn.io/v1
kind: OvnSnatRule
metadata: {name: snat1}
spec: {ovnEip: eip2, vpcSubnet: vpc1-subnet1}
`;

/** Each planned NAT rule with the gateway port it is tied to. */
const planned = (...docs: string[]): string[] => {
  const { plan } = resolveNat(loadNatModel(...docs), options);
  return [...plan.fips, ...plan.snats].map((r) => `${r.kind} ${r.router} ${r.eip.name}@${r.eip.externalSubnet} via ${r.gatewayPort.name}`);
};

describe('ConfigMap kube-system/ovn-external-gw-config', () => {
  it('names the default external subnet: enableExternal attaches vpc1-external0, and EIPs without externalSubnet draw from it', () => {
    expect(planned(configMap('external-gw-switch: external0, enable-external-gw: "false", type: centralized'), cluster, nat(''))).toEqual([
      'OvnFip vpc1 eip1@external0 via vpc1-external0',
      'OvnSnatRule vpc1 eip2@external0 via vpc1-external0',
    ]);
    expect(compileNat(loadNatModel(configMap('external-gw-switch: external0'), cluster, nat('')), options).rows.nats.map((n) => n.externalIp)).toEqual(['10.6.0.101', '10.6.0.115']);
  });

  it('without it, the same cluster is refused, and the errors name all three ways to give the gateway port', () => {
    const message = inputErrorOf(() => compileNat(loadNatModel(cluster, nat('externalSubnet: external0, ')), options));
    const lines = message.split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatch(/^f1\.yaml#[13] spec\.ovnEip: OvnEip "eip[12]" is on external subnet external0, but VPC "vpc1" has gateway ports only on: vpc1-external on external; /);
      expect(line).toContain('the compile option natGatewayPorts');
      expect(line).toContain('ConfigMap kube-system/ovn-external-gw-config (external-gw-switch)');
      expect(line).toContain('read them from the router in the live NB');
    }
    const defaulted = inputErrorOf(() => compileNat(loadNatModel(cluster, nat('')), options));
    expect(defaulted.split('\n')[0]).toBe(
      'f1.yaml#0 spec.externalSubnet: Subnet "external" not found among the inputs (spec.externalSubnet is empty: Kube-OVN\'s default external subnet, which ConfigMap kube-system/ovn-external-gw-config names in external-gw-switch)',
    );
  });

  it('enable-external-gw attaches the default VPC ovn-cluster through ovn-cluster-<switch>', () => {
    const labelled = documents(
      node('gw-l', '{ovn.kubernetes.io/external-gw: "true"}'),
    );
    const defaultVpc = documents(
      kubeOvnObject('Subnet', 'external0', '{cidrBlock: 10.6.0.0/24}'),
      kubeOvnObject('Subnet', 'ovn-default', '{cidrBlock: 10.16.0.0/16}'),
      kubeOvnObject('OvnEip', 'eip1', '{v4Ip: 10.6.0.115}'),
      kubeOvnObject('OvnSnatRule', 'snat1', '{ovnEip: eip1, vpcSubnet: ovn-default}'),
    );
    const gatewayPorts = (enabled: string) => planned(configMap(`external-gw-switch: external0, enable-external-gw: "${enabled}"`), defaultVpc);
    expect(gatewayPorts('true')).toEqual(['OvnSnatRule ovn-cluster eip1@external0 via ovn-cluster-external0']);
    expect(inputErrorOf(() => gatewayPorts('false'))).toMatch(/^f1\.yaml#3 spec: Vpc "ovn-cluster" not found among the inputs/);
    // Its gateway chassis: the labelled nodes plus external-gw-nodes (unless type is distributed).
    const runsOn = (type: string) =>
      explainNat(loadNatModel(configMap(`external-gw-switch: external0, enable-external-gw: "true", external-gw-nodes: "gw-b, gw-a", type: ${type}`), defaultVpc, labelled), options)
        .eips.flatMap((e) => e.users.map((u) => u.runsOn));
    expect(runsOn('centralized')).toEqual([{ kind: 'gateway-chassis', gatewayPort: 'ovn-cluster-external0', gatewayNodes: ['gw-a', 'gw-b', 'gw-l'] }]);
    expect(runsOn('distributed')).toEqual([{ kind: 'gateway-chassis', gatewayPort: 'ovn-cluster-external0', gatewayNodes: ['gw-l'] }]);
  });

  it('other ConfigMaps are read past; a bad value in this one is an error at its field', () => {
    expect(planned(configMap('external-gw-switch: other', 'something-else'), configMap('external-gw-switch: other', 'ovn-external-gw-config', 'default'), configMap('external-gw-switch: external0'), cluster, nat(''))).toEqual([
      'OvnFip vpc1 eip1@external0 via vpc1-external0',
      'OvnSnatRule vpc1 eip2@external0 via vpc1-external0',
    ]);
    expect(inputErrorOf(() => loadNatModel(configMap('type: central, enable-external-gw: yes, external-gw-switch: Ext_0')).nat)).toBe(
      [
        'f0.yaml#0 data.external-gw-switch: must be the name of a Kube-OVN Subnet (a lowercase RFC 1123 name)',
        'f0.yaml#0 data.enable-external-gw: must be "true" or "false"',
        'f0.yaml#0 data.type: must be centralized or distributed',
      ].join('\n'),
    );
  });
});
