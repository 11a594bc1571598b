/**
 * The errors ovsdb-server reports inside a transaction result or a JSON-RPC error reply
 * (`ovsdb/ovsdb-error.c`): a tag (`constraint violation`, `syntax error`...), an English
 * `details` and, for syntax errors, `syntax`: the offending JSON as text with sorted object keys.
 */
export class DbError {
  constructor(
    readonly error: string,
    readonly details?: string,
    readonly syntax?: string,
  ) {}

  toJson(): Record<string, string> {
    return {
      ...(this.syntax !== undefined ? { syntax: this.syntax } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
      error: this.error,
    };
  }
}

/** `ovsdb_error(tag, ...)`; a null tag is reported as `ovsdb error`. */
export function dbError(tag: string | null, details: string): DbError {
  return new DbError(tag ?? 'ovsdb error', details);
}

/** `ovsdb_syntax_error(json, tag, ...)`: tag defaults to `syntax error`, `syntax` is the JSON text. */
export function syntaxError(json: unknown, tag: string | null, details: string): DbError {
  return new DbError(tag ?? 'syntax error', details, json === undefined ? undefined : sortedJson(json));
}

/** JSON text with object keys sorted, as `json_to_string(json, JSSF_SORT)` writes it. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

