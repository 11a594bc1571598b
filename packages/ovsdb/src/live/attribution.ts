import type { AclRow, ExternalIds } from '@ovn-nbgen/core';
import { OBJECT_KIND_KEY, OBJECT_NAME_KEY, OBJECT_NAMESPACE_KEY, ROW_ID_KEY } from '@ovn-nbgen/core/model';
import { isSwitchAclGroup } from './liveRows.js';

/** Who wrote a live row, read from the conventions of the CNIs (docs/live-nb.md lists them). */
export type RowConvention = 'nbgen' | 'kube-ovn' | 'ovn-kubernetes';

/** The Kubernetes object a live ACL row came from. */
export interface RowAttribution {
  readonly convention: RowConvention;
  /** `NetworkPolicy`, `AdminNetworkPolicy`, `Subnet`, `Node`, ... */
  readonly kind: string;
  /** `NAMESPACE/NAME`, or NAME for a cluster-scoped object. */
  readonly object: string;
  /** The rule within the object when the row says (e.g. `ingress/0`), else null. */
  readonly rule: string | null;
}

const KUBE_OVN_GROUP_KEYS: readonly (readonly [string, string])[] = [
  ['np', 'NetworkPolicy'],
  ['anp', 'AdminNetworkPolicy'],
  ['banp', 'BaselineAdminNetworkPolicy'],
  ['cnp', 'ClusterNetworkPolicy'],
];

const OVNK_OWNER_TYPE = 'k8s.ovn.org/owner-type';
const OVNK_NAME = 'k8s.ovn.org/name';

/**
 * The object behind `row`, or null when the row follows none of the known conventions (explain
 * then shows the row itself). `groupIds` are the external_ids of the row's port group (or of its
 * logical switch): Kube-OVN marks the policy on the group, not on the ACL.
 */
export function attributeAcl(row: AclRow, groupIds: ExternalIds | undefined): RowAttribution | null {
  return nbgenOrigin(row.externalIds) ?? ovnKubernetesOrigin(row.externalIds) ?? kubeOvnOrigin(row, groupIds ?? {});
}

/** nbgen: `nbgen/kind`, `nbgen/namespace`, `nbgen/name`, `nbgen/rule` on every row (ownership.ts). */
function nbgenOrigin(ids: ExternalIds): RowAttribution | null {
  const kind = ids[OBJECT_KIND_KEY];
  if (kind === undefined) return null;
  const namespace = ids[OBJECT_NAMESPACE_KEY] ?? '';
  const name = ids[OBJECT_NAME_KEY] ?? '';
  return { convention: 'nbgen', kind, object: namespace ? `${namespace}/${name}` : name, rule: ids[ROW_ID_KEY] ?? null };
}

/**
 * ovn-kubernetes: DbObjectIDs on the ACL (go-controller/pkg/libovsdb/ops/db_object_types.go):
 * `k8s.ovn.org/owner-type` and `k8s.ovn.org/name` (`NAMESPACE:NAME` for a NetworkPolicy), plus
 * `direction`, `gress-index`, `port-policy-protocol`, `ip-block-index`, `type`.
 */
function ovnKubernetesOrigin(ids: ExternalIds): RowAttribution | null {
  const ownerType = ids[OVNK_OWNER_TYPE];
  if (ownerType === undefined) return null;
  const name = ids[OVNK_NAME] ?? '';
  const kindOf: Record<string, string> = {
    NetworkPolicy: 'NetworkPolicy',
    NetpolNamespace: 'NetworkPolicy default deny of namespace',
    NetpolDefault: 'NetworkPolicy defaults',
    NetpolNode: 'Node (management port)',
    AdminNetworkPolicy: 'AdminNetworkPolicy',
    BaselineAdminNetworkPolicy: 'BaselineAdminNetworkPolicy',
    EgressFirewall: 'EgressFirewall',
    MulticastNS: 'Multicast of namespace',
    MulticastCluster: 'Multicast (cluster)',
  };
  const object = ownerType === 'NetworkPolicy' ? name.replace(':', '/') : name;
  const ruleParts = [ids.direction, ids['gress-index'], ids['port-policy-protocol'], ids['ip-block-index'], ids.type, ids['rule-index']]
    .filter((p): p is string => p !== undefined && p !== '');
  return { convention: 'ovn-kubernetes', kind: kindOf[ownerType] ?? ownerType, object, rule: ruleParts.length > 0 ? ruleParts.join('/') : null };
}

/**
 * Kube-OVN (pkg/controller/network_policy.go, admin_network_policy.go, pkg/ovs/ovn-nb-acl.go):
 * ACLs carry `parent` (their port group or switch) and `vendor=kube-ovn`; the group carries the
 * object (`np: NS/NAME`, `anp`, `banp`, `cnp`); the rule is the ACL `name`
 * (`np/<name>.<ns>/ingress/IPv4/0`). Subnet ACLs sit on the switch with `subnet`; node groups
 * are `node.<node>`, security groups `ovn.sg.<name>`.
 */
function kubeOvnOrigin(row: AclRow, groupIds: ExternalIds): RowAttribution | null {
  const ids = row.externalIds;
  if (ids.vendor !== 'kube-ovn' && ids.parent === undefined && groupIds.vendor !== 'kube-ovn') return null;
  const rule = row.name;
  if (isSwitchAclGroup(row.portGroup) || ids.subnet !== undefined) {
    return { convention: 'kube-ovn', kind: 'Subnet', object: ids.subnet ?? ids.parent ?? row.portGroup.slice('(switch '.length, -1), rule };
  }
  for (const [key, kind] of KUBE_OVN_GROUP_KEYS) {
    const value = groupIds[key];
    if (value !== undefined) return { convention: 'kube-ovn', kind, object: value.split('/').slice(0, kind === 'NetworkPolicy' ? 2 : 1).join('/'), rule };
  }
  const parent = ids.parent ?? row.portGroup;
  if (parent.startsWith('node.')) return { convention: 'kube-ovn', kind: 'Node', object: parent.slice('node.'.length), rule };
  if (parent.startsWith('ovn.sg.')) return { convention: 'kube-ovn', kind: 'SecurityGroup', object: parent.slice('ovn.sg.'.length), rule };
  return null;
}

/** One line: `NetworkPolicy shop/web rule ingress/0 (kube-ovn)`, or the row when unattributed. */
export function describeAttribution(row: AclRow, attribution: RowAttribution | null): string {
  if (attribution === null) {
    const where = row.portGroup.startsWith('(') ? row.portGroup : `port group ${row.portGroup}`;
    return `row ${row.direction} ${row.priority} ${row.action} on ${where}${row.name ? ` name ${row.name}` : ''}`;
  }
  const rule = attribution.rule ? ` rule ${attribution.rule}` : '';
  return `${attribution.kind} ${attribution.object}${rule} (${attribution.convention})`;
}
