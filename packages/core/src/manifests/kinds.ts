import type { InputIssue, SourceRef } from '../errors.js';
import type { ModelBuilder } from '../model/model.js';
import { handlerFor, type KindHandler } from './handler.js';
import { plainNamespace } from '../model/plainNamespace.js';
import { plainPod } from '../model/plainPod.js';
import { inventorySchemas, toNamespace, toNode, toPod, toService } from '../model/inventorySchemas.js';
import { configMapHandler } from '../nat/externalGatewayConfig.js';
import { ipHandler, ovnDnatRuleHandler, ovnEipHandler, ovnFipHandler, ovnSnatRuleHandler, subnetHandler, vipHandler, vpcHandler } from '../nat/manifestSchema.js';
import { networkPolicyHandler } from '../netpol/manifestSchema.js';
import { adminNetworkPolicyHandler, baselineAdminNetworkPolicyHandler, clusterNetworkPolicyHandler } from '../tiers/handlers.js';

/**
 * Every kind we compile. A `Record` keyed by the kind union: adding a kind without a handler, or
 * a handler without a kind, fails `tsc`.
 */
export type ModelKind =
  | 'Namespace'
  | 'Pod'
  | 'Service'
  | 'Node'
  | 'ConfigMap'
  | 'NetworkPolicy'
  | 'ClusterNetworkPolicy'
  | 'AdminNetworkPolicy'
  | 'BaselineAdminNetworkPolicy'
  | 'OvnEip'
  | 'OvnFip'
  | 'OvnSnatRule'
  | 'OvnDnatRule'
  | 'Vpc'
  | 'Subnet'
  | 'IP'
  | 'Vip';

const NO_ISSUES: readonly InputIssue[] = Object.freeze([]);

/**
 * `schemaHandler`, except that an object `plain` reads (as the schema and its `to…` would make it)
 * skips the schema; anything else the schema reads and alone reports. For the kinds a cluster has
 * by the thousand.
 */
function plainFirst<T>(
  schemaHandler: KindHandler,
  plain: (object: Record<string, unknown>, source: SourceRef) => T | null,
  file: (into: ModelBuilder, value: T) => void,
): KindHandler {
  return {
    ...schemaHandler,
    add(object, source, into) {
      const value = plain(object, source);
      if (value === null) return schemaHandler.add(object, source, into);
      file(into, value);
      return NO_ISSUES;
    },
  };
}

export const kindHandlers: Record<ModelKind, KindHandler> = {
  Namespace: plainFirst(
    handlerFor({ apiVersions: ['v1'], scope: 'Cluster' }, inventorySchemas.Namespace, (v, src, m) => void m.namespaces.push(toNamespace(v, src))),
    plainNamespace,
    (m, namespace) => void m.namespaces.push(namespace),
  ),
  Pod: plainFirst(
    handlerFor({ apiVersions: ['v1'], scope: 'Namespaced' }, inventorySchemas.Pod, (v, src, m) => void m.pods.push(toPod(v, src))),
    plainPod,
    (m, pod) => void m.pods.push(pod),
  ),
  Service: handlerFor({ apiVersions: ['v1'], scope: 'Namespaced' }, inventorySchemas.Service, (v, src, m) => void m.services.push(toService(v, src))),
  Node: handlerFor({ apiVersions: ['v1'], scope: 'Cluster' }, inventorySchemas.Node, (v, src, m) => void m.nodes.push(toNode(v, src))),
  ConfigMap: configMapHandler,
  NetworkPolicy: networkPolicyHandler,
  ClusterNetworkPolicy: clusterNetworkPolicyHandler,
  AdminNetworkPolicy: adminNetworkPolicyHandler,
  BaselineAdminNetworkPolicy: baselineAdminNetworkPolicyHandler,
  OvnEip: ovnEipHandler,
  OvnFip: ovnFipHandler,
  OvnSnatRule: ovnSnatRuleHandler,
  OvnDnatRule: ovnDnatRuleHandler,
  Vpc: vpcHandler,
  Subnet: subnetHandler,
  IP: ipHandler,
  Vip: vipHandler,
};

export { handlerFor, zodIssues, type KindHandler } from './handler.js';
