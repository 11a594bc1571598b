import { describe, expect, it } from 'vitest';
import { compileNat } from '../../src/nat/compile.js';
import { documents, inputErrorOf, kubeOvnObject, loadNatModel, natRules, options, topology } from './fixture.js';

/** Compiles topology + the given documents and returns the InputError message. */
const errorFor = (...docs: string[]): string => inputErrorOf(() => compileNat(loadNatModel(topology, ...docs), options));

const eip = (name: string, v4: string, extra = '') => documents(kubeOvnObject('OvnEip', name, `{externalSubnet: external204, v4Ip: ${v4}${extra}}`));
const fip = (name: string, spec: string) => documents(kubeOvnObject('OvnFip', name, `{${spec}}`));
const snat = (name: string, spec: string) => documents(kubeOvnObject('OvnSnatRule', name, `{${spec}}`));
const dnat = (name: string, spec: string) => documents(kubeOvnObject('OvnDnatRule', name, `{${spec}}`));

describe('per-object validation (file, document, field path)', () => {
  it('rejects a protocol OVN has no load balancer for, and ports out of range', () => {
    const message = inputErrorOf(() =>
      loadNatModel(eip('e', '10.5.204.9'), dnat('d', 'ovnEip: e, ipName: pod1.ns1, protocol: icmp, internalPort: "0", externalPort: 70000')),
    );
    expect(message.split('\n')).toEqual([
      'f1.yaml#0 spec.internalPort: must be a port number between 1 and 65535',
      'f1.yaml#0 spec.externalPort: must be a port number between 1 and 65535',
      'f1.yaml#0 spec.protocol: must be tcp, udp or sctp (any case)',
    ]);
  });

  it('rejects unknown FIP and EIP types, bad addresses and a bad stateless annotation', () => {
    const message = inputErrorOf(() =>
      loadNatModel(
        eip('e', '10.5.204.999', ', type: floating'),
        `
apiVersion: kubeovn.io/v1
kind: OvnFip
metadata: {name: f, annotations: {ovn-nbgen.io/stateless: "yes"}}
spec: {ovnEip: e, ipName: pod1.ns1, type: normal}
`,
      ),
    );
    expect(message.split('\n')).toEqual([
      'f0.yaml#0 spec.v4Ip: must be an IPv4 address',
      'f0.yaml#0 spec.type: type must be nat, lrp or lsp',
      'f1.yaml#0 metadata.annotations.ovn-nbgen.io/stateless: must be "true" or "false"',
      'f1.yaml#0 spec.type: type must be distributed or centralized',
    ]);
  });
});

describe('cross-object checks: the error names the offending object, nothing is emitted', () => {
  it('a missing EIP, and an EIP of type lsp', () => {
    expect(errorFor(fip('f', 'ovnEip: nope, ipName: pod1.ns1'))).toBe('f1.yaml#0 spec.ovnEip: OvnEip "nope" not found among the inputs');
    expect(errorFor(eip('bfd', '10.5.204.5', ', type: lsp'), fip('f', 'ovnEip: bfd, ipName: pod1.ns1'))).toBe(
      'f2.yaml#0 spec.ovnEip: OvnEip "bfd" has type lsp (a switch port used as a BFD next hop); NAT needs an EIP of type nat or lrp',
    );
  });

  it('an EIP address outside its external subnet, or an EIP without address', () => {
    expect(errorFor(eip('e', '10.9.9.9'))).toBe('f1.yaml#0 spec.v4Ip: 10.9.9.9 is outside external subnet external204 (10.5.204.0/24)');
    expect(errorFor('apiVersion: kubeovn.io/v1\nkind: OvnEip\nmetadata: {name: e}\nspec: {externalSubnet: external204}\n')).toBe(
      'f1.yaml#0 spec: has no address: set spec.v4Ip/v6Ip, or give the object with the status Kube-OVN allocated',
    );
  });

  it('an unresolvable FIP target', () => {
    expect(errorFor(eip('e', '10.5.204.9'), fip('f', 'ovnEip: e, ipName: ghost.ns1'))).toBe('f2.yaml#0 spec.ipName: IP "ghost.ns1" not found among the inputs');
    expect(errorFor(eip('e', '10.5.204.9'), fip('f', 'ovnEip: e, ipType: vip, ipName: v1'))).toBe('f2.yaml#0 spec.ipName: Vip "v1" not found among the inputs');
    expect(errorFor(eip('e', '10.5.204.9'), fip('f', 'ovnEip: e'))).toBe('f2.yaml#0 spec.ipName: no target: set ipName (an IP or Vip), or vpc with v4Ip/v6Ip');
  });

  it('a distributed FIP without a pod port to run on (Vip, bare address, or no MAC)', () => {
    const vip = 'apiVersion: kubeovn.io/v1\nkind: Vip\nmetadata: {name: v1}\nspec: {subnet: vpc1-subnet1, v4ip: 192.168.0.50}\n';
    expect(errorFor(eip('e', '10.5.204.9'), vip, fip('f', 'ovnEip: e, ipType: vip, ipName: v1'))).toBe(
      'f3.yaml#0 spec.type: distributed (the default) needs ipType ip and the pod\'s IP in ipName: Vip "v1" is bound to no chassis, so the NAT would run nowhere; set spec.type: centralized',
    );
    expect(errorFor(eip('e', '10.5.204.9'), fip('f', 'ovnEip: e, vpc: vpc1, v4Ip: 192.168.0.9, type: distributed'))).toMatch(/spec\.type: .*a bare address has no logical port/);
    const noMac = 'apiVersion: kubeovn.io/v1\nkind: IP\nmetadata: {name: pod9.ns1}\nspec: {subnet: vpc1-subnet1, v4IpAddress: 192.168.0.9}\n';
    expect(errorFor(eip('e', '10.5.204.9'), noMac, fip('f', 'ovnEip: e, ipName: pod9.ns1'))).toBe(
      'f3.yaml#0 spec.ipName: IP "pod9.ns1" has no spec.macAddress; a distributed FIP needs it as external_mac (or set spec.type: centralized)',
    );
    expect(errorFor(eip('gwport', '10.5.204.254', ', type: lrp'), fip('f', 'ovnEip: gwport, ipName: pod1.ns1'))).toMatch(
      /^f2\.yaml#0 spec\.ovnEip: OvnEip "gwport" has type lrp \(the gateway port's own address\); a distributed FIP on it would take that address/,
    );
    // the same targets are fine when centralized
    expect(() => compileNat(loadNatModel(topology, eip('e', '10.5.204.9'), vip, fip('f', 'ovnEip: e, ipType: vip, ipName: v1, type: centralized')), options)).not.toThrow();
  });

  it('mixed families: v4 inside, v6 outside', () => {
    const v6Ext = 'apiVersion: kubeovn.io/v1\nkind: Subnet\nmetadata: {name: external204}\nspec: {cidrBlock: "fd00:204::/120"}\n';
    const model = loadNatModel(
      topology.replace('spec: {protocol: IPv4, cidrBlock: 10.5.204.0/24}', 'spec: {cidrBlock: "fd00:204::/120"}'),
      "apiVersion: kubeovn.io/v1\nkind: OvnEip\nmetadata: {name: e6}\nspec: {externalSubnet: external204, v6Ip: 'fd00:204::9'}\n",
      fip('f', 'ovnEip: e6, ipName: pod1.ns1'),
    );
    expect(v6Ext).toContain('fd00');
    expect(inputErrorOf(() => compileNat(model, options))).toBe(
      'f2.yaml#0 spec.ovnEip: address families do not meet: inside IPv4, OvnEip "e6" IPv6; OVN ignores a NAT whose external and logical IPs differ in family',
    );
  });

  it('one EIP on two FIPs, or on a FIP and a SNAT', () => {
    expect(errorFor(eip('e', '10.5.204.9'), fip('a', 'ovnEip: e, ipName: pod1.ns1'), fip('b', 'ovnEip: e, ipName: pod2.ns1'))).toBe(
      'f3.yaml#0 spec.ovnEip: OvnEip "e" is already the FIP of OvnFip "a"; one EIP maps to one target',
    );
    expect(errorFor(eip('e', '10.5.204.9'), fip('a', 'ovnEip: e, ipName: pod1.ns1, type: centralized'), snat('s', 'ovnEip: e, vpcSubnet: vpc1-subnet1'))).toBe(
      'f3.yaml#0 spec.ovnEip: OvnEip "e" is the FIP of OvnFip "a"; a SNAT cannot share it (use another EIP)',
    );
  });

  it('two FIPs for one inside address', () => {
    expect(errorFor(eip('e', '10.5.204.9'), eip('e2', '10.5.204.10'), fip('a', 'ovnEip: e, ipName: pod1.ns1'), fip('b', 'ovnEip: e2, ipName: pod1.ns1'))).toBe(
      'f4.yaml#0 spec.ipName: 192.168.0.2 already has a FIP on router vpc1 (OvnFip "a"); its outgoing traffic would leave as either EIP at random',
    );
  });

  it('a DNAT on a distributed or stateless FIP\'s EIP; a centralized stateful one may share', () => {
    const rule = dnat('d', 'ovnEip: e, ipName: pod2.ns1, protocol: tcp, internalPort: 22, externalPort: 22');
    expect(errorFor(eip('e', '10.5.204.9'), fip('a', 'ovnEip: e, ipName: pod1.ns1'), rule)).toMatch(
      /^f3\.yaml#0 spec\.ovnEip: OvnEip "e" is the FIP of OvnFip "a", which is distributed/,
    );
    const statelessFip = `apiVersion: kubeovn.io/v1\nkind: OvnFip\nmetadata: {name: a, annotations: {ovn-nbgen.io/stateless: "true"}}\nspec: {ovnEip: e, ipName: pod1.ns1, type: centralized}\n`;
    expect(errorFor(eip('e', '10.5.204.9'), statelessFip, rule)).toMatch(/which is stateless; a DNAT rule can share only a centralized, stateful FIP's EIP$/);
    const { rows } = compileNat(loadNatModel(topology, eip('e', '10.5.204.9'), fip('a', 'ovnEip: e, ipName: pod1.ns1, type: centralized'), rule), options);
    expect([rows.nats.length, rows.loadBalancers.length]).toEqual([1, 1]);
  });

  it('two DNAT rules on the same EIP, protocol and external port (protocol compared lower-case)', () => {
    expect(
      errorFor(
        eip('e', '10.5.204.9'),
        dnat('a', 'ovnEip: e, ipName: pod1.ns1, protocol: TCP, internalPort: 80, externalPort: 8080'),
        dnat('b', 'ovnEip: e, ipName: pod2.ns1, protocol: tcp, internalPort: 80, externalPort: "8080"'),
        dnat('c', 'ovnEip: e, ipName: pod2.ns1, protocol: udp, internalPort: 80, externalPort: 8080'),
      ),
    ).toBe('f3.yaml#0 spec.externalPort: tcp port 8080 of OvnEip "e" is already taken by OvnDnatRule "a"');
  });

  it('an EIP on an external subnet the VPC has no gateway port on, or a VPC without any', () => {
    const otherExt = 'apiVersion: kubeovn.io/v1\nkind: Subnet\nmetadata: {name: ext9}\nspec: {cidrBlock: 10.9.0.0/24}\n';
    const eip9 = 'apiVersion: kubeovn.io/v1\nkind: OvnEip\nmetadata: {name: e9}\nspec: {externalSubnet: ext9, v4Ip: 10.9.0.9}\n';
    expect(errorFor(otherExt, eip9, fip('f', 'ovnEip: e9, ipName: pod1.ns1'))).toBe(
      'f3.yaml#0 spec.ovnEip: OvnEip "e9" is on external subnet ext9, but VPC "vpc1" has gateway ports only on: vpc1-external204 on external204; OVN would drop this NAT. If the router\'s gateway port is on ext9, give them in the compile option natGatewayPorts (router -> external subnet -> LRP), name the external subnet in ConfigMap kube-system/ovn-external-gw-config (external-gw-switch) among the inputs, or read them from the router in the live NB',
    );
    const noExternal = topology.replace('spec: {extraExternalSubnets: [external204]}', 'spec: {}');
    expect(inputErrorOf(() => compileNat(loadNatModel(noExternal, eip('e', '10.5.204.9'), fip('f', 'ovnEip: e, ipName: pod1.ns1')), options))).toMatch(
      /^f2\.yaml#0 spec: VPC "vpc1" has no external gateway port/,
    );
  });

  it('a spec.vpc that contradicts the target\'s subnet, and a VPC nothing describes', () => {
    expect(errorFor(eip('e', '10.5.204.9'), fip('f', 'ovnEip: e, ipName: pod1.ns1, vpc: vpc9'))).toBe(
      'f2.yaml#0 spec.vpc: is "vpc9" but IP "pod1.ns1" is on subnet vpc1-subnet1 of VPC "vpc1"',
    );
    const noVpcObject = topology.replace('kind: Vpc\n', 'kind: VpcNatGateway\n');
    expect(inputErrorOf(() => compileNat(loadNatModel(noVpcObject, eip('e', '10.5.204.9'), fip('f', 'ovnEip: e, ipName: pod1.ns1')), options))).toBe(
      'f2.yaml#0 spec: Vpc "vpc1" not found among the inputs, and no gateway ports known for router vpc1: give them in the compile option natGatewayPorts (router -> external subnet -> LRP), name the external subnet in ConfigMap kube-system/ovn-external-gw-config (external-gw-switch) among the inputs, or read them from the router in the live NB',
    );
    const given = { ...options, natGatewayPorts: { vpc1: { external204: 'vpc1-external204' } } };
    expect(() => compileNat(loadNatModel(noVpcObject, eip('e', '10.5.204.9'), fip('f', 'ovnEip: e, ipName: pod1.ns1')), given)).not.toThrow();
  });

  it('SNAT sources: exactly one of them, and two SNATs of one logical IP on a router', () => {
    expect(errorFor(eip('e', '10.5.204.9'), snat('s', 'ovnEip: e, vpcSubnet: vpc1-subnet1, ipName: pod1.ns1'))).toBe(
      'f2.yaml#0 spec: set exactly one source: vpcSubnet, ipName, or v4IpCidr/v6IpCidr with vpc',
    );
    expect(errorFor(eip('e', '10.5.204.9'), snat('s', 'ovnEip: e, v4IpCidr: 192.168.0.0/25'))).toBe('f2.yaml#0 spec.vpc: is required with v4IpCidr/v6IpCidr');
    expect(errorFor(eip('e', '10.5.204.9'), eip('e2', '10.5.204.10'), snat('a', 'ovnEip: e, vpcSubnet: vpc1-subnet1'), snat('b', 'ovnEip: e2, vpc: vpc1, v4IpCidr: 192.168.0.0/24'))).toBe(
      'f4.yaml#0 spec: router vpc1 already translates 192.168.0.0/24 (OvnSnatRule "a"); OVN would pick one at random',
    );
  });

  it('reports every problem at once; a clash lands on the object later in name order', () => {
    const message = errorFor(natRules, fip('zz', 'ovnEip: eip-d, ipName: nobody'), eip('dup', '10.5.204.101'));
    expect(message.split('\n')).toEqual([
      'f1.yaml#0 spec.v4Ip: 10.5.204.101 is also the address of OvnEip "dup"',
      'f2.yaml#0 spec.ipName: IP "nobody" not found among the inputs',
    ]);
  });
});
