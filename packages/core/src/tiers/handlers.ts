import { formatSource, type InputIssue, type SourceRef } from '../errors';
import { handlerFor, type KindHandler } from '../manifests/handler';
import type { ModelBuilder } from '../model/model';
import type { TieredPolicy } from './model';
import { fromAdminNetworkPolicy, fromBaselineAdminNetworkPolicy, fromClusterNetworkPolicy } from './normalize';
import { adminNetworkPolicySchema, baselineAdminNetworkPolicySchema, clusterNetworkPolicySchema } from './schema';

const API_VERSION_V1ALPHA2 = ['policy.networking.k8s.io/v1alpha2'];
const API_VERSION_V1ALPHA1 = ['policy.networking.k8s.io/v1alpha1'];

/** Cluster-scoped objects are unique by kind and name; a second one would silently shadow the first. */
function addUnique(policy: TieredPolicy, source: SourceRef, into: ModelBuilder): InputIssue[] {
  const first = into.clusterPolicies.find((p) => p.kind === policy.kind && p.name === policy.name);
  if (first) {
    return [{ source, path: 'metadata.name', message: `duplicate ${policy.kind} ${JSON.stringify(policy.name)} (first in ${formatSource(first.source)})` }];
  }
  into.clusterPolicies.push(policy);
  return [];
}

export const clusterNetworkPolicyHandler: KindHandler = handlerFor(API_VERSION_V1ALPHA2, clusterNetworkPolicySchema, (v, src, m) =>
  addUnique(fromClusterNetworkPolicy(v, src), src, m),
);

export const adminNetworkPolicyHandler: KindHandler = handlerFor(API_VERSION_V1ALPHA1, adminNetworkPolicySchema, (v, src, m) =>
  addUnique(fromAdminNetworkPolicy(v, src), src, m),
);

export const baselineAdminNetworkPolicyHandler: KindHandler = handlerFor(
  API_VERSION_V1ALPHA1,
  baselineAdminNetworkPolicySchema,
  (v, src, m) => addUnique(fromBaselineAdminNetworkPolicy(v, src), src, m),
);
