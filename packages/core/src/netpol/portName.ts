// The one check of a NetworkPolicy port name, shared by the schema (which words the problem) and
// the plain reader (which only needs to know there is one, and then leaves the object to the schema).

/** Port names are IANA_SVC_NAME (k8s.io/apimachinery validation.IsValidPortName). */
export function portNameProblem(name: string): string | null {
  if (name.length > 15) return 'named port must be no more than 15 characters';
  if (!/^[a-z0-9-]+$/.test(name)) return 'named port must contain only lowercase letters, digits and hyphens';
  if (!/[a-z]/.test(name)) return 'named port must contain at least one letter';
  if (name.includes('--')) return 'named port must not contain consecutive hyphens';
  if (name.startsWith('-') || name.endsWith('-')) return 'named port must not begin or end with a hyphen';
  return null;
}
