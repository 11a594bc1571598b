import * as z from 'zod';
import { dns1035LabelName, dnsLabelName, dnsSubdomainName, labelMap } from '../manifests/names.js';

// The name rules are the API server's, per kind (see manifests/names.ts): most objects are named by
// DNS-1123 subdomains, Namespaces by DNS-1123 labels, Services by DNS-1035 labels.

/** DNS-1123 subdomain: object names of Pods, Nodes, NetworkPolicies, custom resources, ... */
export const dnsSubdomain = dnsSubdomainName;

/** DNS-1123 label: Namespace names (no dots, at most 63 characters). */
export const dnsLabel = dnsLabelName;

export const labels = labelMap.default({});

export const namespacedMeta = z.object({
  name: dnsSubdomain,
  namespace: dnsLabel.default('default'),
  labels,
});

/** Services are named by DNS-1035 labels (the name becomes a DNS label of the cluster domain). */
export const serviceMeta = namespacedMeta.extend({ name: dns1035LabelName });

export const clusterMeta = z.object({
  name: dnsSubdomain,
  labels,
});
