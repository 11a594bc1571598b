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
 * `"`, so each quote found after the end of the last string opens the next one.
 */
function jsonKeyCount(text: string): number {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) {
    // i is an opening quote: find the closing one (a backslash escapes the next character).
    for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    let next = i + 1;
    // Between tokens JSON allows only space, tab, line feed and carriage return.
    for (let c = text.charCodeAt(next); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(++next));
    if (text.charCodeAt(next) === 0x3a) count++;
  }
  return count;
}
