import { describe, expect, it } from 'vitest';
import { explainNat, renderNatExplanation } from '../../src/nat/explain.js';
import { inputErrorOf, loadNatModel, natRules, options, topology } from './fixture.js';

describe('explaining where each NAT runs', () => {
  const explanation = explainNat(loadNatModel(topology, natRules), options);

  it('says per EIP who uses it, the mode, the location and whether it survives every gateway down', () => {
    expect(
      explanation.eips.map((e) => [
        e.eip,
        e.users.map((u) => [u.kind, u.name, u.mode, u.runsOn, u.survivesAllGatewaysDown]),
      ]),
    ).toEqual([
      ['eip-c', [['OvnFip', 'fip-c', 'centralized', { kind: 'gateway-chassis', gatewayPort: 'vpc1-external204', gatewayNodes: ['gw-1', 'gw-2'] }, false]]],
      ['eip-d', [['OvnFip', 'fip-d', 'distributed', { kind: 'port-chassis', logicalPort: 'pod1.ns1', node: 'worker-1' }, true]]],
      ['eip-dnat', [['OvnDnatRule', 'dnat-ssh', 'centralized', { kind: 'gateway-chassis', gatewayPort: 'vpc1-external204', gatewayNodes: ['gw-1', 'gw-2'] }, false]]],
      ['eip-snat', [['OvnSnatRule', 'snat-subnet1', 'centralized', { kind: 'gateway-chassis', gatewayPort: 'vpc1-external204', gatewayNodes: ['gw-1', 'gw-2'] }, false]]],
    ]);
  });

  it('renders text a person can act on', () => {
    expect(renderNatExplanation(explanation)).toMatchSnapshot();
  });

  it('lists every user of a shared EIP (a centralized FIP and a DNAT port on it)', () => {
    const shared = natRules.replace('ovnEip: eip-dnat,', 'ovnEip: eip-c,');
    const eipC = explainNat(loadNatModel(topology, shared), options).eips.find((e) => e.eip === 'eip-c')!;
    expect(eipC.users.map((u) => `${u.kind}/${u.name}: ${u.translations.join('; ')}`)).toEqual([
      'OvnFip/fip-c: 10.5.204.102 <-> 192.168.0.3',
      'OvnDnatRule/dnat-ssh: 10.5.204.102:2222/tcp -> 192.168.0.3:22',
    ]);
  });

  it('carries the compile warnings, e.g. a DNAT on a router with two gateway ports', () => {
    const twoPorts = topology.replace('spec: {extraExternalSubnets: [external204]}', 'spec: {enableExternal: true, extraExternalSubnets: [external204]}');
    const external = 'apiVersion: kubeovn.io/v1\nkind: Subnet\nmetadata: {name: external}\nspec: {cidrBlock: 172.30.0.0/24}\n';
    const result = explainNat(loadNatModel(twoPorts, natRules, external), options);
    expect(result.warnings.map((w) => [w.code, w.source?.doc])).toEqual([['NAT_LB_MULTIPLE_GATEWAY_PORTS', 7]]);
    expect(renderNatExplanation(result)).toContain(
      '\nwarning NAT_LB_MULTIPLE_GATEWAY_PORTS: f1.yaml#7: router vpc1 has 2 gateway ports; OVN before 25.03 does not support load balancers on such a router',
    );
  });

  it('refuses bad input exactly as compile does', () => {
    const lines = inputErrorOf(() => explainNat(loadNatModel(natRules), options)).split('\n');
    expect(lines).toContain('f0.yaml#0 spec.externalSubnet: Subnet "external204" not found among the inputs');
    expect(lines).toContain('f0.yaml#4 spec.ipName: IP "pod1.ns1" not found among the inputs');
  });
});
