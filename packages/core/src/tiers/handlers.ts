import { handlerFor, type KindHandler } from '../manifests/handler.js';
import { fromAdminNetworkPolicy, fromBaselineAdminNetworkPolicy, fromClusterNetworkPolicy } from './normalize.js';
import { adminNetworkPolicySchema, baselineAdminNetworkPolicySchema, clusterNetworkPolicySchema } from './manifestSchema.js';

const V1ALPHA2 = { apiVersions: ['policy.networking.k8s.io/v1alpha2'], scope: 'Cluster' } as const;
const V1ALPHA1 = { apiVersions: ['policy.networking.k8s.io/v1alpha1'], scope: 'Cluster' } as const;

export const clusterNetworkPolicyHandler: KindHandler = handlerFor(V1ALPHA2, clusterNetworkPolicySchema, (v, src, m) =>
  void m.clusterPolicies.push(fromClusterNetworkPolicy(v, src)),
);

export const adminNetworkPolicyHandler: KindHandler = handlerFor(V1ALPHA1, adminNetworkPolicySchema, (v, src, m) =>
  void m.clusterPolicies.push(fromAdminNetworkPolicy(v, src)),
);

export const baselineAdminNetworkPolicyHandler: KindHandler = handlerFor(
  V1ALPHA1,
  baselineAdminNetworkPolicySchema,
  (v, src, m) => void m.clusterPolicies.push(fromBaselineAdminNetworkPolicy(v, src)),
);
