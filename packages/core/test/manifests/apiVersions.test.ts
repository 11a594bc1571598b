import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadModel } from '../../src/manifests/load.js';

function issuesOf(text: string): string[] {
  try {
    loadModel([{ name: 'in.yaml', text }]);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message.split('\n');
  }
}

const policy = 'metadata: {name: p, namespace: shop}\nspec: {podSelector: {}}\n';

describe('a document meant for nbgen at an apiVersion it does not read is refused, not ignored', () => {
  it('refuses a NetworkPolicy at networking.k8s.io/v1beta1, as kubectl words it', () => {
    expect(issuesOf(`apiVersion: networking.k8s.io/v1beta1\nkind: NetworkPolicy\n${policy}`)).toEqual([
      'in.yaml#0 apiVersion: no matches for kind "NetworkPolicy" in version "networking.k8s.io/v1beta1"; nbgen reads networking.k8s.io/v1',
    ]);
  });

  it('refuses a ClusterNetworkPolicy at policy.networking.k8s.io/v1alpha1 and an AdminNetworkPolicy at v1alpha2', () => {
    const text = 'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: ClusterNetworkPolicy\nmetadata: {name: c}\n---\n' +
      'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: AdminNetworkPolicy\nmetadata: {name: a}\n';
    expect(issuesOf(text)).toEqual([
      'in.yaml#0 apiVersion: no matches for kind "ClusterNetworkPolicy" in version "policy.networking.k8s.io/v1alpha1"; nbgen reads policy.networking.k8s.io/v1alpha2',
      'in.yaml#1 apiVersion: no matches for kind "AdminNetworkPolicy" in version "policy.networking.k8s.io/v1alpha2"; nbgen reads policy.networking.k8s.io/v1alpha1',
    ]);
  });

  it('refuses a kind it compiles without apiVersion, inside a List too', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'NetworkPolicy', metadata: { name: 'p' } }, { kind: 'Pod', apiVersion: 'apps/v1' }] });
    expect(issuesOf(text)).toEqual([
      'in.yaml#0 items[0].apiVersion: apiVersion not set; nbgen reads kind "NetworkPolicy" in version networking.k8s.io/v1',
      'in.yaml#0 items[1].apiVersion: no matches for kind "Pod" in version "apps/v1"; nbgen reads v1',
    ]);
  });

  it('refuses any kind of a group it reads at a version of that group it does not read', () => {
    expect(issuesOf('apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: {name: i}\n---\napiVersion: kubeovn.io/v2\nkind: Vlan\nmetadata: {name: v}\n')).toEqual([
      'in.yaml#0 apiVersion: no matches for kind "Ingress" in version "networking.k8s.io/v1beta1"; nbgen reads networking.k8s.io/v1',
      'in.yaml#1 apiVersion: no matches for kind "Vlan" in version "kubeovn.io/v2"; nbgen reads kubeovn.io/v1',
    ]);
  });

  it('still ignores other kinds of the versions it reads, other groups, and kinds without apiVersion it does not compile', () => {
    const text = [
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}',
      'apiVersion: kubeovn.io/v1\nkind: ProviderNetwork\nmetadata: {name: pn}',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}',
      'kind: ConfigMap\nmetadata: {name: c}',
      'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: calico}',
      'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: knative}',
    ].join('\n---\n');
    const { ignored, objectCount } = loadModel([{ name: 'in.yaml', text }]);
    expect(ignored.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual(['networking.k8s.io/v1 Ingress', 'kubeovn.io/v1 ProviderNetwork', 'apps/v1 Deployment', ' ConfigMap', 'projectcalico.org/v3 NetworkPolicy', 'serving.knative.dev/v1 Service']);
    expect(objectCount).toBe(6);
  });

  it('counts no object in empty or comment-only input', () => {
    expect(loadModel([{ name: 'a.yaml', text: '' }, { name: 'b.yaml', text: '# nothing\n---\n' }]).objectCount).toBe(0);
  });
});
