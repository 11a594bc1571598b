import * as z from 'zod';

/**
 * The API server's rules for names and labels (k8s.io/apimachinery/pkg/util/validation), in one
 * place so that every kind's schema refuses what `kubectl apply` would have been refused, with the
 * field path: `matchLabels: {app: "a b"}` → `spec.podSelector.matchLabels.app: invalid label value`.
 *
 * - DNS-1123 label (Namespace names, the namespace of an object): at most 63 characters,
 *   `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
 * - DNS-1123 subdomain (names of Pods, Nodes, NetworkPolicies, custom resources): at most 253
 *   characters, DNS-1123 labels joined by dots.
 * - DNS-1035 label (Service names): a DNS-1123 label that starts with a letter.
 * - Label key (a qualified name): an optional DNS-1123 subdomain prefix and `/`, then a name part
 *   of at most 63 characters, `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`.
 * - Label value: empty, or at most 63 characters of the name part's pattern.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Why `value` is not a DNS-1123 label, or null when it is one. */
export function dns1123LabelProblem(value: string): string | null {
  if (value.length > 63) return 'must be no more than 63 characters (an RFC 1123 label)';
  if (!DNS1123_LABEL.test(value)) {
    return "must be a lowercase RFC 1123 label: lowercase alphanumeric characters or '-', starting and ending with an alphanumeric character (e.g. 'my-name')";
  }
  return null;
}

/** Why `value` is not a DNS-1123 subdomain, or null when it is one. */
export function dns1123SubdomainProblem(value: string): string | null {
  if (value.length > 253) return 'must be no more than 253 characters (an RFC 1123 subdomain)';
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return "must be a lowercase RFC 1123 subdomain: lowercase alphanumeric characters, '-' or '.', each dot-separated part starting and ending with an alphanumeric character (e.g. 'example.com')";
  }
  return null;
}

/** Why `value` is not a DNS-1035 label, or null when it is one. */
export function dns1035LabelProblem(value: string): string | null {
  if (value.length > 63) return 'must be no more than 63 characters (an RFC 1035 label)';
  if (!DNS1035_LABEL.test(value)) {
    return "must be a lowercase RFC 1035 label: lowercase alphanumeric characters or '-', starting with a letter and ending with an alphanumeric character (e.g. 'my-name')";
  }
  return null;
}

/** Why `key` is not a valid label key (a qualified name), or null when it is one. */
export function labelKeyProblem(key: string): string | null {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix === '') return `invalid label key ${JSON.stringify(key)}: the prefix before '/' must not be empty`;
    const problem = dns1123SubdomainProblem(prefix);
    if (problem) return `invalid label key ${JSON.stringify(key)}: the prefix ${problem}`;
  }
  if (name === '') return `invalid label key ${JSON.stringify(key)}: the name part must not be empty`;
  if (name.length > 63) return `invalid label key ${JSON.stringify(key)}: the name part must be no more than 63 characters`;
  if (!QUALIFIED_NAME_PART.test(name)) {
    return `invalid label key ${JSON.stringify(key)}: the name part must consist of alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character (e.g. 'MyName', 'my.name' or 'example.com/my-name')`;
  }
  return null;
}

/** Why `value` is not a valid label value, or null when it is one. */
export function labelValueProblem(value: string): string | null {
  if (value === '') return null;
  if (value.length > 63) return `invalid label value ${JSON.stringify(value)}: must be no more than 63 characters`;
  if (!QUALIFIED_NAME_PART.test(value)) {
    return `invalid label value ${JSON.stringify(value)}: must be empty or consist of alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')`;
  }
  return null;
}

function checkedName(problemOf: (value: string) => string | null) {
  return z.string().superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** Names of Pods, Nodes, NetworkPolicies and custom resources. */
export const dnsSubdomainName = checkedName(dns1123SubdomainProblem);
/** Names of Namespaces, and the namespace of namespaced objects. */
export const dnsLabelName = checkedName(dns1123LabelProblem);
/** Names of Services. */
export const dns1035LabelName = checkedName(dns1035LabelProblem);

/** One label value (e.g. the values of an `In` requirement). */
export const labelValue = checkedName(labelValueProblem);
/** One label key (e.g. the key of a selector requirement). */
export const labelKey = checkedName(labelKeyProblem);

/**
 * A label map (metadata.labels, matchLabels, a Service's selector): each key and value checked,
 * the issue at the key's path, as the API server reports `metadata.labels.app`.
 */
export const labelMap = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
  }
});
