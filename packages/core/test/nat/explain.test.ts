import { describe, expect, it } from 'vitest';
import { explainNat, renderNatExplanation } from '../../src/nat/explain';
import { inputErrorOf, loadNatModel, natRules, options, topology } from './fixture';

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

  it('refuses bad input exactly as compile does', () => {
    const lines = inputErrorOf(() => explainNat(loadNatModel(natRules), options)).split('\n');
    expect(lines).toContain('f0.yaml#0 spec.externalSubnet: Subnet "external204" not found among the inputs');
    expect(lines).toContain('f0.yaml#4 spec.ipName: IP "pod1.ns1" not found among the inputs');
  });
});
