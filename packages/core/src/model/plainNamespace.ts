import type { SourceRef } from '../errors.js';
import { dns1123LabelProblem } from '../manifests/names.js';
import { NAMESPACE_NAME_LABEL, type Namespace } from './inventory.js';
import { isPlainObject, validLabels } from './plainFields.js';

/**
 * The Namespace of a manifest that the Namespace schema (inventorySchemas.ts) accepts as written,
 * as `toNamespace` makes it; null for anything else, which the schema then reads and reports. The
 * schema runs cold in a one-shot command: its first 200 Namespaces cost 10-40 ms of CPU at the
 * side-by-side bench's size. test/model/plainNamespace.differential.test.ts holds the two equal.
 */
export function plainNamespace(object: Record<string, unknown>, source: SourceRef): Namespace | null {
  const metadata = object.metadata;
  if (!isPlainObject(metadata)) return null;
  const { name, labels } = metadata;
  if (typeof name !== 'string' || dns1123LabelProblem(name) !== null) return null;
  const given = labels === undefined ? {} : validLabels(labels);
  if (given === null) return null;
  return { name, labels: { ...given, [NAMESPACE_NAME_LABEL]: name }, source };
}
