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
 * Kubernetes' own groups (the core group '', names without a dot such as `apps`, and `*.k8s.io`)
 * and the groups nbgen reads. Dotted names of other projects are theirs: a kind there that shares a
 * name with ours is another resource.
 */
function isKubernetesOrReadGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io') || readGroups.has(group);
}

/**
 * Why a document is refused although nbgen has no handler for its kind at its apiVersion, or null
 * when it is simply not ours (listed with -v as ignored):
 * - a kind nbgen compiles without an apiVersion, or at a version of a Kubernetes group or of a
 *   group nbgen reads (NetworkPolicy at networking.k8s.io/v1beta1, ClusterNetworkPolicy at
 *   policy.networking.k8s.io/v1alpha1, Pod at v2 or apps/v1): a typo there drops a Pod from its
 *   port groups or a policy from the rows, and with it isolation;
 * - any kind of a group nbgen reads, at a version of that group nbgen does not read.
 * A kind of a group nbgen reads at a version it reads (Ingress at networking.k8s.io/v1, a
 * Kube-OVN ProviderNetwork at kubeovn.io/v1) is not ours: ignored. So is a kind of the same name
 * from another project's group (Calico's projectcalico.org/v3 NetworkPolicy, Knative's
 * serving.knative.dev/v1 Service): those are other resources, not a version of ours.
 */
export function unreadApiVersion(kind: string, apiVersion: string): { readonly path: string; readonly message: string } | null {
  const handler = Object.hasOwn(kindHandlers, kind) ? kindHandlers[kind as ModelKind] : undefined;
  if (handler) {
    if (handler.apiVersions.includes(apiVersion)) return null;
    const reads = handler.apiVersions.join(' or ');
    if (apiVersion === '') return { path: 'apiVersion', message: `apiVersion not set; nbgen reads kind "${kind}" in version ${reads}` };
    if (isKubernetesOrReadGroup(groupOf(apiVersion))) {
      return { path: 'apiVersion', message: `no matches for kind "${kind}" in version "${apiVersion}"; nbgen reads ${reads}` };
    }
    return null;
  }
  const versions = readGroups.get(groupOf(apiVersion));
  if (!versions || versions.includes(apiVersion)) return null;
  return {
    path: 'apiVersion',
    message: `no matches for kind "${kind}" in version "${apiVersion}"; nbgen reads ${versions.join(' or ')}`,
  };
}
