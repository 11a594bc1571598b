import {
  AclRow,
  AddressSetRow,
  LoadBalancerRow,
  NatRow,
  PortGroupRow,
  type NbRows,
  type ObjectRef,
} from '../../src/index.js';
import { ownedExternalIds } from '../../src/subpaths/model.js';
import { aclRow } from '../support/aclRow.js';

/** Rows of every table, shaped like what compile produces for a small namespace. */
export function sampleRows(owner = 'nbgen'): NbRows {
  const policy: ObjectRef = { kind: 'NetworkPolicy', namespace: 'shop', name: 'client-egress' };
  const fip: ObjectRef = { kind: 'OvnFip', namespace: '', name: 'fip-frontend' };
  const dnat: ObjectRef = { kind: 'OvnDnatRule', namespace: '', name: 'dnat-web' };
  const pg = 'np.shop.client_egress';
  const acl = (priority: number, match: string, action: AclRow['action'], rule: string): AclRow =>
    aclRow({
      portGroup: pg,
      direction: 'from-lport',
      priority,
      match,
      action,
      options: { 'apply-after-lb': 'true' },
      externalIds: ownedExternalIds(owner, policy, rule),
    });
  return {
    portGroups: [PortGroupRow({ name: pg, ports: ['client.shop'], externalIds: ownedExternalIds(owner, policy) })],
    addressSets: [
      AddressSetRow({
        name: 'np.shop.client_egress.Out0.Ip4',
        addresses: ['10.16.0.10'],
        externalIds: ownedExternalIds(owner, policy, 'egress/0/ip4'),
      }),
    ],
    acls: [
      acl(2001, `inport == @${pg} && ip4 && ip4.dst == $np.shop.client_egress.Out0.Ip4 && tcp.dst == 8000`, 'allow-related', 'egress/0/ip4/tcp-8000'),
      acl(2000, `inport == @${pg} && ip`, 'drop', 'egress/default-drop'),
    ],
    nats: [
      NatRow({
        router: 'ovn-cluster',
        type: 'dnat_and_snat',
        externalIp: '172.19.0.10',
        logicalIp: '10.16.0.10',
        logicalPort: 'frontend.shop',
        externalMac: '00:00:00:0a:00:0a',
        gatewayPort: null,
        externalPortRange: null,
        options: { stateless: 'false' },
        externalIds: ownedExternalIds(owner, fip),
      }),
    ],
    loadBalancers: [
      LoadBalancerRow({
        name: 'dnat.dnat_web.tcp',
        protocol: 'tcp',
        vips: { '172.19.0.11:80': '10.16.0.10:8000' },
        routers: ['ovn-cluster'],
        options: {},
        externalIds: ownedExternalIds(owner, dnat),
      }),
    ],
  };
}
