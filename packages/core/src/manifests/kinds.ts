import type { InputIssue } from '../errors.js';
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

const podSchemaHandler = handlerFor({ apiVersions: ['v1'], scope: 'Namespaced' }, inventorySchemas.Pod, (v, src, m) => void m.pods.push(toPod(v, src)));
const NO_ISSUES: readonly InputIssue[] = Object.freeze([]);

/** Pods, most of a cluster's objects, are read by plainPod where it can, else by their schema. */
const podHandler: KindHandler = {
  ...podSchemaHandler,
  add(object, source, into) {
    const pod = plainPod(object, source);
    if (pod === null) return podSchemaHandler.add(object, source, into);
    into.pods.push(pod);
    return NO_ISSUES;
  },
};

const namespaceSchemaHandler = handlerFor({ apiVersions: ['v1'], scope: 'Cluster' }, inventorySchemas.Namespace, (v, src, m) => void m.namespaces.push(toNamespace(v, src)));

/** Namespaces are read by plainNamespace where it can, else by their schema (which alone reports). */
const namespaceHandler: KindHandler = {
  ...namespaceSchemaHandler,
  add(object, source, into) {
    const namespace = plainNamespace(object, source);
    if (namespace === null) return namespaceSchemaHandler.add(object, source, into);
    into.namespaces.push(namespace);
    return NO_ISSUES;
  },
};

export const kindHandlers: Record<ModelKind, KindHandler> = {
  Namespace: namespaceHandler,
  Pod: podHandler,
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
