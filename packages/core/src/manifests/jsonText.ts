/**
 * JSON.parse of a text, when it reads as the YAML parser (with unique keys) would read it: JSON is
 * YAML 1.2, except that JSON.parse keeps the last of repeated keys where the YAML parser refuses
 * them. A repeated key is an ambiguous input (two `podSelector`s, two `expect`s) that must not
 * pass unnoticed, so a text whose written keys outnumber the parsed objects' keys gives undefined,
 * as a text that is not JSON does: the caller then takes the YAML path and reports its error.
 */
export function parseJsonUniqueKeys(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return repeatsAKey(text, value) ? undefined : value;
}

/**
 * Whether `text`, which JSON.parse read as `value`, repeats a key within one object (JSON.parse
 * kept only the last of them).
 */
export function repeatsAKey(text: string, value: unknown): boolean {
  return keyCount(value) !== jsonKeyCount(text);
}

/** Keys of every object in a parsed JSON value. */
export function keyCount(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) count += keyCount(value[i]);
    return count;
  }
  for (const key in value) count += 1 + keyCount((value as Record<string, unknown>)[key]);
  return count;
}

/**
 * Keys written in a text JSON.parse accepted (from `from` to `to`, which no string crosses):
 * strings followed by `:`. Outside strings JSON has no `"`, so each quote found after the end of
 * the last string opens the next one.
 */
export function jsonKeyCount(text: string, from = 0, to = text.length): number {
  let count = 0;
  for (let open = text.indexOf('"', from); open !== -1 && open < to; open = text.indexOf('"', open)) {
    const close = stringEnd(text, open);
    if (close === -1) break; // not after JSON.parse accepted the text
    open = afterSpace(text, close + 1);
    if (text.charCodeAt(open) === 0x3a) count++;
  }
  return count;
}

/**
 * Where the string opened by the quote at `open` ends (its closing quote), in a text JSON.parse
 * accepts. Found with indexOf (a native scan) rather than a loop over the string's characters: a
 * quote inside a string is escaped, so it follows an odd run of backslashes (`\\"` ends the
 * string, `\"` does not).
 */
export function stringEnd(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close !== -1 && text.charCodeAt(close - 1) === 0x5c && escapedQuote(text, close)) close = text.indexOf('"', close + 1);
  return close;
}

/** The first position from `at` that is not space between JSON tokens (space, tab, line feed, carriage return). */
export function afterSpace(text: string, at: number): number {
  let c = text.charCodeAt(at);
  while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = text.charCodeAt(++at);
  return at;
}

/** Whether the quote at `quote` is escaped: an odd number of backslashes right before it. */
function escapedQuote(text: string, quote: number): boolean {
  let before = quote - 1;
  while (text.charCodeAt(before) === 0x5c) before--;
  return (quote - 1 - before) % 2 === 1;
}
