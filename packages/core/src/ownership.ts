/**
 * Ownership marks in `external_ids`. Every row we write carries the caller's owner name and the
 * Kubernetes object it came from; ACLs also carry the rule identity within that object. The
 * reconciler updates and deletes only rows whose OWNER key equals the caller's owner name, so rows
 * written by hand, by another tool or by another owner are never touched.
 * (The layout follows ovn-kubernetes' DbObjectIDs: an ordered, registered list of keys.)
 */
export type ExternalIds = Readonly<Record<string, string>>;

export const OWNER_KEY = 'nbgen/owner';
export const OBJECT_KIND_KEY = 'nbgen/kind';
export const OBJECT_NAMESPACE_KEY = 'nbgen/namespace';
export const OBJECT_NAME_KEY = 'nbgen/name';
/** Identity of a row within its object, e.g. `ingress/0/ip4/tcp-80` or `egress/default-drop`. */
export const ROW_ID_KEY = 'nbgen/rule';

/** The owner name used when the caller does not choose one (`--owner`). */
export const DEFAULT_OWNER = 'nbgen';

export type OwnedKind =
  | 'NetworkPolicy'
  | 'ClusterNetworkPolicy'
  | 'AdminNetworkPolicy'
  | 'BaselineAdminNetworkPolicy'
  | 'OvnFip'
  | 'OvnSnatRule'
  | 'OvnDnatRule'
  | 'Node'
  | 'Shared';

export interface ObjectRef {
  readonly kind: OwnedKind;
  /** Empty for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
}

/** external_ids for a row produced from `object`; `rowId` identifies it within the object. */
export function ownedExternalIds(owner: string, object: ObjectRef, rowId?: string): ExternalIds {
  // Written whole in both cases: a key added to the four-key literal would go to a second,
  // out-of-object store, an allocation more for each of 20,000 ACLs.
  if (rowId === undefined) {
    return Object.freeze({
      [OWNER_KEY]: owner,
      [OBJECT_KIND_KEY]: object.kind,
      [OBJECT_NAMESPACE_KEY]: object.namespace,
      [OBJECT_NAME_KEY]: object.name,
    });
  }
  return Object.freeze({
    [OWNER_KEY]: owner,
    [OBJECT_KIND_KEY]: object.kind,
    [OBJECT_NAMESPACE_KEY]: object.namespace,
    [OBJECT_NAME_KEY]: object.name,
    [ROW_ID_KEY]: rowId,
  });
}
