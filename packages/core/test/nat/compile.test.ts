import { describe, expect, it } from 'vitest';
import { capabilitiesForOvnVersion } from '../../src/capabilities.js';
import { compileNat } from '../../src/nat/compile.js';
import { LoadBalancerRow, NatRow } from '../../src/rows/index.js';
import { documents, kubeOvnObject, loadNatModel, natRules, options, topology } from './fixture.js';

const owned = (kind: string, name: string, rule?: string) => ({
  'nbgen/owner': 'nbgen',
  'nbgen/kind': kind,
  'nbgen/namespace': '',
  'nbgen/name': name,
  ...(rule ? { 'nbgen/rule': rule } : {}),
});

describe('compiling Kube-OVN NAT objects', () => {
  it('writes the whole row set: FIPs by spec.type, the subnet SNAT, the DNAT load balancer', () => {
    const { rows, warnings } = compileNat(loadNatModel(topology, natRules), options);
    expect(warnings).toEqual([]);
    expect(rows.acls).toEqual([]);
    expect(rows.portGroups).toEqual([]);
    expect(rows.nats).toEqual([
      NatRow({
        router: 'vpc1',
        type: 'dnat_and_snat',
        externalIp: '10.5.204.101',
        logicalIp: '192.168.0.2',
        // distributed (spec.type empty): port and MAC make northd run it on pod1's chassis
        logicalPort: 'pod1.ns1',
        externalMac: '00:00:00:0a:dd:27',
        gatewayPort: null,
        externalPortRange: null,
        options: {},
        externalIds: owned('OvnFip', 'fip-d', 'ip4'),
      }),
      NatRow({
        router: 'vpc1',
        type: 'dnat_and_snat',
        externalIp: '10.5.204.102',
        logicalIp: '192.168.0.3',
        // centralized as asked: neither port nor MAC, so it runs on the gateway chassis
        logicalPort: null,
        externalMac: null,
        gatewayPort: null,
        externalPortRange: null,
        options: {},
        externalIds: owned('OvnFip', 'fip-c', 'ip4'),
      }),
      NatRow({
        router: 'vpc1',
        type: 'snat',
        externalIp: '10.5.204.115',
        logicalIp: '192.168.0.0/24',
        logicalPort: null,
        externalMac: null,
        gatewayPort: null,
        externalPortRange: null,
        options: {},
        externalIds: owned('OvnSnatRule', 'snat-subnet1', 'ip4'),
      }),
    ]);
    expect(rows.loadBalancers).toEqual([
      LoadBalancerRow({
        name: 'odnat.dnat_ssh',
        protocol: 'tcp',
        vips: { '10.5.204.130:2222': '192.168.0.3:22' },
        routers: ['vpc1'],
        options: {},
        externalIds: owned('OvnDnatRule', 'dnat-ssh'),
      }),
    ]);
  });

  it('is deterministic: the same input in another document order gives byte-identical rows', () => {
    const docs = natRules.split('\n---\n');
    const reversed = [...docs].reverse().join('\n---\n');
    const a = compileNat(loadNatModel(topology, natRules), options).rows;
    const b = compileNat(loadNatModel(reversed, topology), options).rows;
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('writes options:stateless only when the FIP carries the stateless annotation', () => {
    const statelessFip = natRules.replace(
      'metadata: {name: fip-c}',
      'metadata: {name: fip-c, annotations: {ovn-nbgen.io/stateless: "true"}}',
    );
    const nats = compileNat(loadNatModel(topology, statelessFip), options).rows.nats;
    expect(nats.map((n) => [n.externalIds['nbgen/name'], n.options])).toEqual([
      ['fip-d', {}],
      ['fip-c', { stateless: 'true' }],
      ['snat-subnet1', {}],
    ]);
  });

  it('writes one row per family for dual-stack, and only the families both sides have', () => {
    const dual = documents(
      kubeOvnObject('Subnet', 'ext-dual', '{protocol: Dual, cidrBlock: "10.6.0.0/24,fd00:6::/120"}'),
      kubeOvnObject('Vpc', 'vpc2', '{extraExternalSubnets: [ext-dual]}'),
      kubeOvnObject('Subnet', 'vpc2-net', '{vpc: vpc2, cidrBlock: "172.16.0.0/24,fd00:172::/120"}'),
      kubeOvnObject('IP', 'web.prod', '{subnet: vpc2-net, ipAddress: "172.16.0.9,FD00:172::9", macAddress: "0a:00:00:00:00:09"}'),
      kubeOvnObject('OvnEip', 'eip-dual', '{externalSubnet: ext-dual, v4Ip: 10.6.0.9, v6Ip: "fd00:6:0::9"}'),
      kubeOvnObject('OvnEip', 'eip-v4', '{externalSubnet: ext-dual, v4Ip: 10.6.0.10}'),
      kubeOvnObject('OvnFip', 'web', '{ovnEip: eip-dual, ipName: web.prod}'),
      kubeOvnObject('OvnDnatRule', 'web-dns', '{ovnEip: eip-v4, ipName: web.prod, protocol: Udp, internalPort: 53, externalPort: 53}'),
    );
    const { rows } = compileNat(loadNatModel(dual), options);
    expect(rows.nats.map((n) => [n.externalIp, n.logicalIp, n.logicalPort, n.externalIds['nbgen/rule']])).toEqual([
      ['10.6.0.9', '172.16.0.9', 'web.prod', 'ip4'],
      ['fd00:6::9', 'fd00:172::9', 'web.prod', 'ip6'],
    ]);
    expect(rows.loadBalancers.map((lb) => [lb.protocol, lb.vips, lb.options])).toEqual([
      ['udp', { '10.6.0.10:53': '172.16.0.9:53' }, { ct_flush: 'true' }],
    ]);
  });

  it('SNATs from a single IP or a given CIDR, written as OVN shows it', () => {
    const extra = documents(
      kubeOvnObject('OvnEip', 'eip-s2', '{externalSubnet: external204, v4Ip: 10.5.204.116}'),
      kubeOvnObject('OvnSnatRule', 'snat-pod1', '{ovnEip: eip-s2, ipName: pod1.ns1}'),
      kubeOvnObject('OvnSnatRule', 'snat-cidr', '{ovnEip: eip-s2, vpc: vpc1, v4IpCidr: 192.168.0.128/25}'),
      kubeOvnObject('OvnSnatRule', 'snat-host', '{ovnEip: eip-s2, vpc: vpc1, v4IpCidr: 192.168.0.77}'),
    );
    const nats = compileNat(loadNatModel(topology, extra), options).rows.nats;
    expect(nats.map((n) => [n.type, n.externalIp, n.logicalIp, n.externalIds['nbgen/name']])).toEqual([
      ['snat', '10.5.204.116', '192.168.0.128/25', 'snat-cidr'],
      ['snat', '10.5.204.116', '192.168.0.2', 'snat-pod1'],
      ['snat', '10.5.204.116', '192.168.0.77', 'snat-host'],
    ]);
  });
});

describe('routers with more than one gateway port', () => {
  const twoPorts =
    topology.replace('spec: {extraExternalSubnets: [external204]}', 'spec: {enableExternal: true, extraExternalSubnets: [external204]}') +
    '\n---' +
    documents(
      kubeOvnObject('Subnet', 'external', '{cidrBlock: 172.30.0.0/24}'),
      kubeOvnObject('OvnEip', 'eip-other', '{externalSubnet: external, v4Ip: 172.30.0.50}'),
      kubeOvnObject('OvnFip', 'fip-other', '{ovnEip: eip-other, ipName: pod2.ns1}'),
    );
  const fipD = natRules.split('\n---\n').filter((d) => /name: (eip-d|fip-d)}/.test(d)).join('\n---\n');

  it('names each row\'s gateway port, the one on its EIP\'s external subnet', () => {
    const nats = compileNat(loadNatModel(twoPorts, fipD), options).rows.nats;
    expect(nats.map((n) => [n.externalIp, n.gatewayPort])).toEqual([
      ['10.5.204.101', 'vpc1-external204'],
      ['172.30.0.50', 'vpc1-external'],
    ]);
  });

  it('takes the ports given in options over the Vpc convention', () => {
    const given = { ...options, natGatewayPorts: { vpc1: { external204: 'lrp-a', external: 'lrp-b' } } };
    const nats = compileNat(loadNatModel(twoPorts, fipD), given).rows.nats;
    expect(nats.map((n) => n.gatewayPort)).toEqual(['lrp-a', 'lrp-b']);
  });

  it('leaves gateway_port empty and warns when the target schema lacks the column', () => {
    const old = { ...options, capabilities: { ...capabilitiesForOvnVersion('22.03') } };
    const { rows, warnings } = compileNat(loadNatModel(twoPorts, fipD), old);
    expect(rows.nats.map((n) => n.gatewayPort)).toEqual([null, null]);
    expect(warnings.map((w) => w.code)).toEqual(['NAT_GATEWAY_PORT_UNSUPPORTED', 'NAT_GATEWAY_PORT_UNSUPPORTED']);
  });
});
