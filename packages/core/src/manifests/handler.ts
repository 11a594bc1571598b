import type { z } from 'zod';
import { formatFieldPath, type InputIssue, type SourceRef } from '../errors.js';
import type { ModelBuilder } from '../model/model.js';

// Kept apart from kinds.ts (the table of every kind), which imports each kind's handler: a kind's
// module importing these helpers back from kinds.ts would make the table depend on module
// evaluation order.

/**
 * How one kind is read: which apiVersions are accepted and how a raw object is validated and
 * added to the model. Returning issues (rather than throwing) lets one run report every bad field.
 */
export interface KindHandler {
  readonly apiVersions: readonly string[];
  /** Namespaced objects default to namespace `default`; identity is kind, namespace and name. */
  readonly scope: 'Namespaced' | 'Cluster';
  readonly add: (object: Record<string, unknown>, source: SourceRef, into: ModelBuilder) => readonly InputIssue[];
  /** For a kind of which only some objects mean something (one ConfigMap): the rest are ignored. */
  readonly claims?: (object: Record<string, unknown>) => boolean;
}

/**
 * A handler that validates with `schema` and hands the parsed value to `add`. `add` may return
 * further issues found across fields (zod checks one field at a time). `plain`, when given, is a
 * faster reader of the objects the schema accepts as written: it gives what the schema would
 * parse, or null, and the schema then reads the object (and alone reports its issues).
 */
export function handlerFor<S extends z.ZodType>(
  kind: { readonly apiVersions: readonly string[]; readonly scope: KindHandler['scope'] },
  schema: S,
  add: (value: z.output<S>, source: SourceRef, into: ModelBuilder) => readonly InputIssue[] | void,
  plain?: (object: Record<string, unknown>) => z.output<S> | null,
): KindHandler {
  return {
    apiVersions: kind.apiVersions,
    scope: kind.scope,
    add(object, source, into) {
      const read = plain?.(object) ?? null;
      if (read !== null) return add(read, source, into) ?? [];
      const parsed = schema.safeParse(object);
      if (!parsed.success) return zodIssues(parsed.error, source);
      return add(parsed.data, source, into) ?? [];
    },
  };
}

export function zodIssues(error: z.ZodError, source: SourceRef): InputIssue[] {
  return error.issues.map((issue) => ({ source, path: formatFieldPath(issue.path), message: issue.message }));
}
