import { z } from 'zod';
import { isKubernetesName } from '../naming/ovnName.js';

/** DNS-1123 subdomain: object names of Pods, NetworkPolicies, Services, ... */
export const dnsSubdomain = z
  .string()
  .max(253)
  .refine(isKubernetesName, { message: 'must be a lowercase RFC 1123 name ([a-z0-9.-], alphanumeric at both ends)' });

/** DNS-1123 label: Namespace names (no dots, at most 63 characters). */
export const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be a lowercase RFC 1123 label ([a-z0-9-], alphanumeric at both ends)');

export const labels = z.record(z.string(), z.string()).default({});

export const namespacedMeta = z.object({
  name: dnsSubdomain,
  namespace: dnsLabel.default('default'),
  labels,
});

export const clusterMeta = z.object({
  name: dnsSubdomain,
  labels,
});
