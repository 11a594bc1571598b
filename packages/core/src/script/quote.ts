/**
 * Quoting for the export script. Two layers, both always applied to anything that came from input:
 * - ovsdb value syntax (what ovn-nbctl parses in `column=value`): strings are written as JSON strings
 *   (`"a\"b"`), which ovn-nbctl unescapes; maps as `{"k"="v"}`, sets as separate arguments.
 * - shell: a word that is not made only of harmless characters goes in single quotes, inside which
 *   bash expands nothing (`$(...)`, backticks, `!`, newlines stay literal); a `'` becomes `'\''`.
 *
 * Example: external_ids {"nbgen/name": "it's $(x)"} → `'external_ids={"nbgen/name"="it'\''s $(x)"}'`.
 */

/** A value that cannot be written to a shell script or an ovsdb string (NUL, broken UTF-16). */
export class ScriptValueError extends Error {
  readonly code = 'NBGEN_SCRIPT_VALUE';
  constructor(message: string) {
    super(message);
    this.name = 'ScriptValueError';
  }
}

// Characters no shell treats specially anywhere in a word (no globs, braces, `~`, `$`, quotes).
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** What either check below can find: most values (names, addresses) hold none of it. */
const NUL_OR_SURROGATE = /[\u0000\uD800-\uDFFF]/;

function assertWritable(text: string): void {
  // One scan for the common case; a script of 35,000 rows writes about 100,000 values.
  if (!NUL_OR_SURROGATE.test(text)) return;
  // argv strings end at NUL, so a NUL would silently cut the value; OVS rejects invalid UTF-8.
  if (text.includes('\u0000')) throw new ScriptValueError(`value contains a NUL character: ${JSON.stringify(text)}`);
  if (LONE_SURROGATE.test(text)) throw new ScriptValueError(`value is not valid Unicode: ${JSON.stringify(text)}`);
}

/**
 * What needs nothing more than single quotes in a shell word, and what a JSON string holds as it
 * is: neither holds NUL or a surrogate, so assertWritable passes on either. A script of 35,000
 * rows writes about 200,000 words and values, almost all of them such (test/script/quote.test.ts
 * holds the shortcuts below equal to the general path on random text).
 */
const SINGLE_QUOTABLE = /^[^'\u0000\uD800-\uDFFF]*$/;
const JSON_VERBATIM = /^[^"\\\u0000-\u001F\uD800-\uDFFF]*$/;

/** One shell word that bash passes through unchanged as a single argument. */
export function shellWord(text: string): string {
  // A plain word holds only the characters PLAIN_WORD lists: nothing assertWritable refuses.
  if (PLAIN_WORD.test(text)) return text;
  if (SINGLE_QUOTABLE.test(text)) return `'${text}'`;
  assertWritable(text);
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A shell line of words. */
export function shellWords(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}

/** An ovsdb string atom as ovn-nbctl parses it: always quoted, JSON escapes. */
export function ovsdbString(text: string): string {
  // What JSON.stringify writes as it is (no quote, backslash, control character or surrogate).
  if (JSON_VERBATIM.test(text)) return `"${text}"`;
  assertWritable(text);
  return JSON.stringify(text);
}

/** An ovsdb string→string map, keys in code-unit order so output is deterministic. */
export function ovsdbMap(map: Readonly<Record<string, string>>): string {
  const keys = Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${ovsdbString(k)}=${ovsdbString(map[k]!)}`).join(',')}}`;
}

/** A text that is safe inside a `#` comment line: JSON-escaped so a newline cannot end the comment. */
export function commentText(text: string): string {
  return JSON.stringify(text);
}

/** Text inside a bash double-quoted string, read literally: `\`, `"`, `$` and backticks escaped. */
export function doubleQuotedText(text: string): string {
  assertWritable(text);
  return text.replace(/[\\"$`]/g, '\\$&');
}
