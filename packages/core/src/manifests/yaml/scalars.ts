/**
 * Scalars as the `yaml` package resolves them with its default YAML 1.2 core schema (the tests of
 * `yaml/dist/schema/core/*.js`, tried in the same order): `~`/`null`/empty are null, `true`/`false`
 * in three spellings are booleans, `0o17` octal, `0x1F` hex, decimal ints, `.inf`/`.nan`, floats;
 * anything else, `yes`/`on`/`012` included, is a string.
 */

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/**
 * The tests apply by the first character (a test never matches a text starting otherwise), so most
 * plain scalars and keys are told apart without running them all.
 */
export function resolvePlainScalar(text: string): unknown {
  if (text === '') return null;
  const code = text.charCodeAt(0);
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90)) {
    if (text.length !== 4 && text.length !== 5) return text;
    if (NULL.test(text)) return null;
    if (BOOL.test(text)) return code === 116 || code === 84; // t, T
    return text;
  }
  if (code === 126 /* ~ */) return text.length === 1 ? null : text;
  // digits, + - .
  if (!((code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46)) return text;
  if (INT_OCT.test(text)) return parseInt(text.substring(2), 8);
  if (INT_DEC.test(text)) return parseInt(text, 10);
  if (INT_HEX.test(text)) return parseInt(text.substring(2), 16);
  if (FLOAT_NAN.test(text)) return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(text) || FLOAT.test(text)) return parseFloat(text);
  return text;
}

/** A mapping key as the `yaml` package turns it into a JS object key (null → '', else String). */
export function plainKey(text: string): string {
  const value = resolvePlainScalar(text);
  return value === null ? '' : String(value);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};
const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * The body of a one-line double-quoted scalar (between the quotes), escapes decoded; null for an
 * escape this reader does not decode (the caller then leaves the file to the `yaml` package).
 */
export function decodeDoubleQuoted(body: string): string | null {
  if (body.indexOf('\\') < 0) return body;
  let out = '';
  let from = 0;
  for (let i = body.indexOf('\\'); i >= 0; i = body.indexOf('\\', from)) {
    out += body.slice(from, i);
    const code = body[i + 1];
    if (code === undefined) return null;
    const simple = SIMPLE_ESCAPES[code];
    if (simple !== undefined) {
      out += simple;
      from = i + 2;
      continue;
    }
    const length = HEX_ESCAPE_LENGTH[code];
    if (length === undefined) return null;
    const hex = body.slice(i + 2, i + 2 + length);
    if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) return null;
    const point = parseInt(hex, 16);
    // Lone surrogates and out-of-range points: left to the `yaml` package.
    if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) return null;
    out += String.fromCodePoint(point);
    from = i + 2 + length;
  }
  return out + body.slice(from);
}
