import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadModel } from '../../src/manifests/load.js';
import { labelKeyProblem, labelValueProblem } from '../../src/manifests/names.js';

/** The issues loadModel reports for one document, as `file#doc path: message` lines. */
function issuesOf(yaml: string): string[] {
  try {
    loadModel([{ name: 'in.yaml', text: yaml }]);
    return [];
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.message.split('\n');
  }
}

const policy = (podSelector: string, name = 'allow-web', namespace = 'shop'): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${JSON.stringify(name)}, namespace: ${JSON.stringify(namespace)}}
spec:
  podSelector: ${podSelector}
`;

describe('names and labels are validated as the API server validates them', () => {
  it('refuses a matchLabels value with a space, at the field path', () => {
    expect(issuesOf(policy('{matchLabels: {app: "a b"}}'))).toEqual([
      expect.stringMatching(/^in\.yaml#0 spec\.podSelector\.matchLabels\.app: invalid label value "a b": must be empty or consist of/),
    ]);
  });

  it('refuses bad label keys and values everywhere a label map or a requirement is read', () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: shop, labels: {"-app": x, "example.com/": y, "/role": z, "tier": "${'v'.repeat(64)}"}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: "web!"}, ports: [{port: 80}]}
---
${policy('{matchExpressions: [{key: "a b", operator: In, values: [ok, "not ok"]}, {key: app, operator: Exists, values: [x]}, {key: app, operator: In}, {key: app, operator: Like, values: [x]}]}')}`;
    expect(issuesOf(yaml)).toEqual([
      expect.stringMatching(/^in\.yaml#0 metadata\.labels\.-app: invalid label key "-app": the name part must consist of/),
      'in.yaml#0 metadata.labels.example.com/: invalid label key "example.com/": the name part must not be empty',
      `in.yaml#0 metadata.labels./role: invalid label key "/role": the prefix before '/' must not be empty`,
      `in.yaml#0 metadata.labels.tier: invalid label value "${'v'.repeat(64)}": must be no more than 63 characters`,
      expect.stringMatching(/^in\.yaml#1 spec\.selector\.app: invalid label value "web!"/),
      expect.stringMatching(/^in\.yaml#2 spec\.podSelector\.matchExpressions\[0\]\.key: invalid label key "a b"/),
      expect.stringMatching(/^in\.yaml#2 spec\.podSelector\.matchExpressions\[0\]\.values\[1\]: invalid label value "not ok"/),
      'in.yaml#2 spec.podSelector.matchExpressions[1].values: must be empty for operator Exists',
      'in.yaml#2 spec.podSelector.matchExpressions[2].values: must be non-empty for operator In',
      'in.yaml#2 spec.podSelector.matchExpressions[3].operator: operator must be one of In, NotIn, Exists, DoesNotExist',
    ]);
  });

  it('names each kind the way Kubernetes does: Namespaces DNS-1123 labels, Services DNS-1035 labels, others DNS-1123 subdomains', () => {
    const yaml = `apiVersion: v1
kind: Namespace
metadata: {name: team.a}
---
apiVersion: v1
kind: Service
metadata: {name: 1web, namespace: shop}
spec: {ports: [{port: 80}]}
---
${policy('{}', 'a..b')}---
${policy('{}', 'Allow')}---
${policy('{}', 'web.v1', 'sh.op')}---
${policy('{}', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`)}`;
    expect(issuesOf(yaml)).toEqual([
      expect.stringMatching(/^in\.yaml#0 metadata\.name: must be a lowercase RFC 1123 label/),
      expect.stringMatching(/^in\.yaml#1 metadata\.name: must be a lowercase RFC 1035 label/),
      expect.stringMatching(/^in\.yaml#2 metadata\.name: must be a lowercase RFC 1123 subdomain/),
      expect.stringMatching(/^in\.yaml#3 metadata\.name: must be a lowercase RFC 1123 subdomain/),
      expect.stringMatching(/^in\.yaml#4 metadata\.namespace: must be a lowercase RFC 1123 label/),
      'in.yaml#5 metadata.name: must be no more than 253 characters (an RFC 1123 subdomain)',
    ]);
  });

  it('accepts what the API server accepts', () => {
    expect(issuesOf(`apiVersion: v1
kind: Pod
metadata: {name: web-0.v2, namespace: shop, labels: {app.kubernetes.io/name: Web_1.x, "kubernetes.io/metadata.name": shop, empty: ""}}
---
${policy('{matchLabels: {"example.com/app": web}, matchExpressions: [{key: tier, operator: NotIn, values: [a, B_2]}, {key: x, operator: DoesNotExist}]}', 'web.v1')}`)).toEqual([]);
    expect(['a', 'A.b-c_d', 'x'.repeat(63), `${'p'.repeat(253)}/n`].map(labelKeyProblem)).toEqual([null, null, null, null]);
    expect(['', 'a', '0', 'A.b-c_d', 'x'.repeat(63)].map(labelValueProblem)).toEqual([null, null, null, null, null]);
    expect(labelKeyProblem(`${'p'.repeat(254)}/n`)).toMatch(/the prefix must be no more than 253 characters/);
    expect(labelKeyProblem(`${'n'.repeat(64)}`)).toMatch(/the name part must be no more than 63 characters/);
  });
});
