import type { InputIssue, SourceRef } from '../errors.js';
import type { Namespace, Node, Pod, Service } from '../model/inventory.js';
import { emptyModelBuilder, type Model } from '../model/model.js';
import { kindHandlers, type ModelKind } from '../manifests/kinds.js';
import { EXTERNAL_GW_CONFIG_NAMESPACE, type ExternalGatewayConfig, type NatObject } from '../nat/kubeOvnObjects.js';
import type { NetworkPolicy } from '../netpol/networkPolicy.js';
import type { TieredPolicy } from '../tiers/tieredPolicy.js';

/** One validated object of the model, tagged with its kind: what a CompileSession event carries. */
export type ModelObject =
  | { readonly kind: 'Namespace'; readonly value: Namespace }
  | { readonly kind: 'Pod'; readonly value: Pod }
  | { readonly kind: 'Service'; readonly value: Service }
  | { readonly kind: 'Node'; readonly value: Node }
  | { readonly kind: 'NetworkPolicy'; readonly value: NetworkPolicy }
  | { readonly kind: TieredPolicy['kind']; readonly value: TieredPolicy }
  | { readonly kind: Exclude<NatObject['kind'], 'ExternalGatewayConfig'>; readonly value: NatObject }
  // Kube-OVN's ConfigMap kube-system/ovn-external-gw-config, read into the NAT part of the model.
  | { readonly kind: 'ConfigMap'; readonly value: ExternalGatewayConfig };

/** Which list of the Model holds each kind. */
export const MODEL_FIELD_OF: Readonly<Record<ModelKind, keyof Model>> = {
  Namespace: 'namespaces',
  Pod: 'pods',
  Service: 'services',
  Node: 'nodes',
  NetworkPolicy: 'networkPolicies',
  ClusterNetworkPolicy: 'clusterPolicies',
  AdminNetworkPolicy: 'clusterPolicies',
  BaselineAdminNetworkPolicy: 'clusterPolicies',
  OvnEip: 'nat',
  OvnFip: 'nat',
  OvnSnatRule: 'nat',
  OvnDnatRule: 'nat',
  Vpc: 'nat',
  Subnet: 'nat',
  IP: 'nat',
  Vip: 'nat',
  ConfigMap: 'nat',
};

/** Identity of an object among those of its kind: `namespace/name`, or `name` cluster-wide. */
export interface ObjectId {
  readonly kind: ModelKind;
  readonly namespace: string;
  readonly name: string;
}

export function objectIdOf(object: ModelObject): ObjectId {
  // The gateway ConfigMap's model object keeps no namespace: it is only ever kube-system's.
  if (object.kind === 'ConfigMap') return { kind: 'ConfigMap', namespace: EXTERNAL_GW_CONFIG_NAMESPACE, name: object.value.name };
  const value = object.value as { readonly name: string; readonly namespace?: string };
  return { kind: object.kind, namespace: value.namespace ?? '', name: value.name };
}

export const objectKey = (id: ObjectId): string => (id.namespace === '' ? id.name : `${id.namespace}/${id.name}`);

export const isModelKind = (kind: string): kind is ModelKind => Object.hasOwn(kindHandlers, kind);

/** A manifest (a Kubernetes object as the API server or kubectl gives it) read into a ModelObject. */
export type ManifestReading =
  | { readonly ok: true; readonly object: ModelObject }
  | { readonly ok: false; readonly issues: readonly InputIssue[] }
  | { readonly ok: 'ignored'; readonly kind: string; readonly apiVersion: string };

/** Validates one manifest with the same handler `loadModel` uses. */
export function readManifest(manifest: Record<string, unknown>, source: SourceRef): ManifestReading {
  const kind = typeof manifest.kind === 'string' ? manifest.kind : '';
  const apiVersion = typeof manifest.apiVersion === 'string' ? manifest.apiVersion : '';
  if (!isModelKind(kind) || !kindHandlers[kind].apiVersions.includes(apiVersion)) return { ok: 'ignored', kind, apiVersion };
  const claims = kindHandlers[kind].claims;
  if (claims && !claims(manifest)) return { ok: 'ignored', kind, apiVersion };
  const into = emptyModelBuilder();
  const issues = kindHandlers[kind].add(manifest, source, into);
  if (issues.length > 0) return { ok: false, issues };
  const value = into[MODEL_FIELD_OF[kind]][0];
  if (value === undefined) throw new Error(`internal: the ${kind} handler added nothing`);
  return { ok: true, object: { kind, value } as ModelObject };
}

/** The identity a manifest names (for a DELETED event, whose object need not validate). */
export function manifestId(manifest: Record<string, unknown>): ObjectId | null {
  const kind = typeof manifest.kind === 'string' ? manifest.kind : '';
  const meta = manifest.metadata as { name?: unknown; namespace?: unknown } | undefined;
  if (!isModelKind(kind) || typeof meta?.name !== 'string') return null;
  const namespaced = kindHandlers[kind].scope === 'Namespaced';
  return { kind, namespace: namespaced ? (typeof meta.namespace === 'string' ? meta.namespace : 'default') : '', name: meta.name };
}
