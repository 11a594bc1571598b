import { kindHandlers, type ModelKind } from './kinds.js';

/**
 * Which apiVersions nbgen reads, derived from the kind handlers, and the refusal of a document that
 * looks meant for nbgen but is at another version. Ignoring such a document would compile as if
 * its policy did not exist, and apply would then delete the policy's rows (and the isolation they
 * give): so it is an input error, worded as kubectl words a kind the API server does not serve.
 */

/** `networking.k8s.io/v1` → `networking.k8s.io`; the core group (`v1`) is ''. */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

const handledApiVersions: readonly string[] = [...new Set(Object.values(kindHandlers).flatMap((h) => h.apiVersions))].sort();

/**
 * API groups nbgen reads (networking.k8s.io, policy.networking.k8s.io, kubeovn.io) → the versions
 * of them it reads. The core group is left out: a stray `apiVersion: v2 ConfigMap` is not ours.
 */
const readGroups: ReadonlyMap<string, readonly string[]> = (() => {
  const groups = new Map<string, string[]>();
  for (const apiVersion of handledApiVersions) {
    const group = groupOf(apiVersion);
    if (group === '') continue;
    groups.set(group, [...(groups.get(group) ?? []), apiVersion]);
  }
  return groups;
})();

/**
 * Why a document is refused although nbgen has no handler for its kind at its apiVersion, or null
 * when it is simply not ours (listed with -v as ignored):
 * - a kind nbgen compiles, at any other apiVersion or none (NetworkPolicy at
 *   networking.k8s.io/v1beta1, ClusterNetworkPolicy at policy.networking.k8s.io/v1alpha1);
 * - any kind of a group nbgen reads, at a version of that group nbgen does not read.
 * A kind of a group nbgen reads at a version it reads (Ingress at networking.k8s.io/v1, a
 * Kube-OVN ProviderNetwork at kubeovn.io/v1) is not ours: ignored.
 */
export function unreadApiVersion(kind: string, apiVersion: string): { readonly path: string; readonly message: string } | null {
  const handler = Object.hasOwn(kindHandlers, kind) ? kindHandlers[kind as ModelKind] : undefined;
  if (handler) {
    if (handler.apiVersions.includes(apiVersion)) return null;
    const reads = handler.apiVersions.join(' or ');
    if (apiVersion === '') return { path: 'apiVersion', message: `apiVersion not set; nbgen reads kind "${kind}" in version ${reads}` };
    return { path: 'apiVersion', message: `no matches for kind "${kind}" in version "${apiVersion}"; nbgen reads ${reads}` };
  }
  const versions = readGroups.get(groupOf(apiVersion));
  if (!versions || versions.includes(apiVersion)) return null;
  return {
    path: 'apiVersion',
    message: `no matches for kind "${kind}" in version "${apiVersion}"; nbgen reads ${versions.join(' or ')}`,
  };
}
