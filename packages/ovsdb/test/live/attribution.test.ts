// Which Kubernetes object a live ACL row is named after, per writer convention (docs/live-nb.md).
import { describe, expect, it } from 'vitest';
import { AclRow } from '@ovn-nbgen/core';
import { attributeAcl, describeAttribution, switchAclGroup } from '../../src/subpaths/live.js';

const acl = (portGroup: string, externalIds: Record<string, string>, name: string | null = null): AclRow =>
  AclRow({ portGroup, direction: 'to-lport', priority: 2000, match: 'ip', action: 'drop', name, log: false, severity: null, meter: null, tier: null, options: {}, externalIds });

describe('attributeAcl', () => {
  it('names rows by the nbgen, ovn-kubernetes and Kube-OVN conventions, and shows any other row as itself', () => {
    const cases = [
      attributeAcl(acl('np.shop.web', { 'nbgen/kind': 'NetworkPolicy', 'nbgen/namespace': 'shop', 'nbgen/name': 'web', 'nbgen/rule': 'ingress/0' }), {}),
      attributeAcl(acl('a123', { 'k8s.ovn.org/owner-type': 'NetworkPolicy', 'k8s.ovn.org/name': 'shop:web', direction: 'Ingress', 'gress-index': '0' }), {}),
      attributeAcl(acl('a9_ingressDefaultDeny', { 'k8s.ovn.org/owner-type': 'NetpolNamespace', 'k8s.ovn.org/name': 'shop', direction: 'Ingress', type: 'defaultDeny' }), {}),
      attributeAcl(acl('web.shop', { parent: 'web.shop', vendor: 'kube-ovn' }, 'np/web.shop/ingress/IPv4/0'), { np: 'shop/web', vendor: 'kube-ovn' }),
      attributeAcl(acl('deny.all', { parent: 'deny.all', vendor: 'kube-ovn' }, 'anp/deny-all/ingress/IPv4/0'), { anp: 'deny-all', vendor: 'kube-ovn' }),
      attributeAcl(acl(switchAclGroup('ovn-default'), { parent: 'ovn-default', subnet: 'ovn-default', vendor: 'kube-ovn' }), undefined),
      attributeAcl(acl('node.worker.1', { parent: 'node.worker.1', vendor: 'kube-ovn' }), {}),
      attributeAcl(acl('hand.made', {}), {}),
    ];
    expect(cases).toEqual([
      { convention: 'nbgen', kind: 'NetworkPolicy', object: 'shop/web', rule: 'ingress/0' },
      { convention: 'ovn-kubernetes', kind: 'NetworkPolicy', object: 'shop/web', rule: 'Ingress/0' },
      { convention: 'ovn-kubernetes', kind: 'NetworkPolicy default deny of namespace', object: 'shop', rule: 'Ingress/defaultDeny' },
      { convention: 'kube-ovn', kind: 'NetworkPolicy', object: 'shop/web', rule: 'np/web.shop/ingress/IPv4/0' },
      { convention: 'kube-ovn', kind: 'AdminNetworkPolicy', object: 'deny-all', rule: 'anp/deny-all/ingress/IPv4/0' },
      { convention: 'kube-ovn', kind: 'Subnet', object: 'ovn-default', rule: null },
      { convention: 'kube-ovn', kind: 'Node', object: 'worker.1', rule: null },
      null,
    ]);
    expect(describeAttribution(acl('hand.made', {}, 'mine'), null)).toBe('row to-lport 2000 drop on port group hand.made name mine');
  });
});
