import type { InputIssue } from '../errors.js';
import type { Model } from '../model/model.js';
import { DEFAULT_EXTERNAL_SUBNET, type ExternalGatewayConfig, type NatObject, type NatObjectKind, type OvnEip } from './kubeOvnObjects.js';

type ByKind = { readonly [K in NatObjectKind]: ReadonlyMap<string, Extract<NatObject, { kind: K }>> };

/**
 * The NAT objects of a model indexed by kind and name. All these kinds are cluster-scoped, so a
 * name appears at most once per kind; a second one is an input error (it would be the same object
 * twice, e.g. two exports of the cluster concatenated).
 */
export interface NatObjects extends ByKind {
  readonly issues: readonly InputIssue[];
  /** `kube-system/ovn-external-gw-config`, when among the inputs. */
  readonly externalGatewayConfig: ExternalGatewayConfig | null;
  /** Kube-OVN's default external subnet: the ConfigMap's `external-gw-switch`, else `external`. */
  readonly defaultExternalSubnet: string;
}

export function indexNatObjects(model: Model): NatObjects {
  const maps = {
    ExternalGatewayConfig: new Map(),
    OvnEip: new Map(),
    OvnFip: new Map(),
    OvnSnatRule: new Map(),
    OvnDnatRule: new Map(),
    Vpc: new Map(),
    Subnet: new Map(),
    IP: new Map(),
    Vip: new Map(),
  } satisfies Record<NatObjectKind, Map<string, NatObject>>;
  const issues: InputIssue[] = [];
  for (const object of model.nat) {
    const map: Map<string, NatObject> = maps[object.kind];
    const earlier = map.get(object.name);
    if (earlier) {
      const where = `${earlier.source.file}#${earlier.source.doc}`;
      issues.push({ source: object.source, path: 'metadata.name', message: `${object.kind} "${object.name}" is also defined in ${where}` });
      continue;
    }
    map.set(object.name, object);
  }
  const byKind = maps as unknown as ByKind;
  const externalGatewayConfig = byKind.ExternalGatewayConfig.values().next().value ?? null;
  const defaultExternalSubnet = externalGatewayConfig?.externalSubnet ?? DEFAULT_EXTERNAL_SUBNET;
  // An EIP without spec.externalSubnet draws from the default external subnet, as Kube-OVN's
  // OvnEip controller does (it reads the same ConfigMap).
  const eips = new Map<string, OvnEip>();
  for (const [name, eip] of byKind.OvnEip) {
    eips.set(name, eip.externalSubnetDefaulted ? { ...eip, externalSubnet: defaultExternalSubnet } : eip);
  }
  return { ...byKind, OvnEip: eips, issues, externalGatewayConfig, defaultExternalSubnet };
}

/** Objects of one kind in name order, so every walk over them (and every error list) is stable. */
export function sortedByName<T extends { readonly name: string }>(map: ReadonlyMap<string, T>): T[] {
  return [...map.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
