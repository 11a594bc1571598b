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
  return keyCount(value) === jsonKeyCount(text) ? value : undefined;
}

/** Keys of every object in a parsed JSON value. */
function keyCount(value: unknown): number {
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
 * Keys written in a text JSON.parse accepted: strings followed by `:`. Outside strings JSON has no
 * `"`, so each quote found after the end of the last string opens the next one. A string's end is
 * found with indexOf (a native scan) rather than a loop over its characters: a quote inside a
 * string is escaped, so it follows an odd run of backslashes (`\\"` ends the string, `\"` does not).
 */
function jsonKeyCount(text: string): number {
  let count = 0;
  for (let open = text.indexOf('"'); open !== -1; open = text.indexOf('"', open)) {
    let close = text.indexOf('"', open + 1);
    while (text.charCodeAt(close - 1) === 0x5c && escapedQuote(text, close)) close = text.indexOf('"', close + 1);
    open = close + 1;
    // Between tokens JSON allows only space, tab, line feed and carriage return.
    let c = text.charCodeAt(open);
    while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = text.charCodeAt(++open);
    if (c === 0x3a) count++;
  }
  return count;
}

/** Whether the quote at `quote` is escaped: an odd number of backslashes right before it. */
function escapedQuote(text: string, quote: number): boolean {
  let before = quote - 1;
  while (text.charCodeAt(before) === 0x5c) before--;
  return (quote - 1 - before) % 2 === 1;
}
