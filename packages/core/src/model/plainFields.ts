import { labelKeyProblem, labelValueProblem } from '../manifests/names.js';

// Checks the plain readers (plainPod.ts, plainNamespace.ts) share: each answers only where the
// kind's schema would accept the field as written.

/** A label map the schema accepts (kept as it is: the model freezes it), or null. */
export function validLabels(labels: unknown): Record<string, string> | null {
  if (!isPlainObject(labels)) return null;
  for (const key in labels) {
    const value = labels[key];
    if (typeof value !== 'string' || labelKeyProblem(key) !== null || labelValueProblem(value) !== null) return null;
  }
  return labels as Record<string, string>;
}

/** An object as JSON.parse and the YAML readers make them (not an array, a Date, a class or a null prototype). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
