import type { z } from 'zod';
import { formatFieldPath, type InputIssue, type SourceRef } from '../errors';
import { inventorySchemas, toNamespace, toNode, toPod, toService } from '../model/inventorySchemas';
import type { ModelBuilder } from '../model/model';
import {
  ipHandler,
  ovnDnatRuleHandler,
  ovnEipHandler,
  ovnFipHandler,
  ovnSnatRuleHandler,
  subnetHandler,
  vipHandler,
  vpcHandler,
} from '../nat/schema';
import { networkPolicyHandler } from '../netpol/schema';
import {
  adminNetworkPolicyHandler,
  baselineAdminNetworkPolicyHandler,
  clusterNetworkPolicyHandler,
} from '../tiers/handlers';

/**
 * How one kind is read: which apiVersions are accepted and how a raw object is validated and
 * added to the model. Returning issues (rather than throwing) lets one run report every bad field.
 */
export interface KindHandler {
  readonly apiVersions: readonly string[];
  readonly add: (object: Record<string, unknown>, source: SourceRef, into: ModelBuilder) => readonly InputIssue[];
}

/**
 * Every kind we compile. A `Record` keyed by the kind union: adding a kind without a handler, or
 * a handler without a kind, fails `tsc`.
 */
export type ModelKind =
  | 'Namespace'
  | 'Pod'
  | 'Service'
  | 'Node'
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

export const kindHandlers: Record<ModelKind, KindHandler> = {
  Namespace: handlerFor(['v1'], inventorySchemas.Namespace, (v, src, m) => void m.namespaces.push(toNamespace(v, src))),
  Pod: handlerFor(['v1'], inventorySchemas.Pod, (v, src, m) => void m.pods.push(toPod(v, src))),
  Service: handlerFor(['v1'], inventorySchemas.Service, (v, src, m) => void m.services.push(toService(v, src))),
  Node: handlerFor(['v1'], inventorySchemas.Node, (v, src, m) => void m.nodes.push(toNode(v, src))),
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

/**
 * A handler that validates with `schema` and hands the parsed value to `add`. `add` may return
 * further issues found across fields (zod checks one field at a time).
 */
export function handlerFor<S extends z.ZodType>(
  apiVersions: readonly string[],
  schema: S,
  add: (value: z.output<S>, source: SourceRef, into: ModelBuilder) => readonly InputIssue[] | void,
): KindHandler {
  return {
    apiVersions,
    add(object, source, into) {
      const parsed = schema.safeParse(object);
      if (!parsed.success) return zodIssues(parsed.error, source);
      return add(parsed.data, source, into) ?? [];
    },
  };
}

export function zodIssues(error: z.ZodError, source: SourceRef): InputIssue[] {
  return error.issues.map((issue) => ({ source, path: formatFieldPath(issue.path), message: issue.message }));
}
