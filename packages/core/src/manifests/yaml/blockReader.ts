import { decodeDoubleQuoted, plainKey, resolvePlainScalar } from './scalars.js';

/**
 * A reader for the block YAML that `kubectl get -o yaml` prints and people write for manifests:
 * block mappings and sequences (sequences may sit at their key's indentation, as kubectl prints
 * them), plain scalars (also wrapped over lines), one-line quoted scalars, `|`/`>` block scalars (clip and strip), one-line flow
 * collections, comments, `---` and `...`. It exists for speed: the `yaml` package builds a CST
 * and document nodes that large inputs do not need (50,000 pods: see docs/speed-log.md).
 *
 * It gives up (null) on the whole text at the first thing it does not read (anchors, aliases,
 * tags, directives, complex keys, multi-line flow scalars and collections, tabs, CR, explicit
 * indentation, keep chomping, duplicate keys, anything the `yaml` package would call an error).
 * The caller then parses with the `yaml` package, so values, document numbering and error
 * messages are the `yaml` package's whenever this reader would differ: it answers only texts it
 * reads exactly as `parseAllDocuments(text, { uniqueKeys: true })` + `toJS()` does
 * (test/manifests/blockYaml.differential.test.ts).
 */
export function readBlockYaml(text: string): unknown[] | null {
  if (CHARACTERS_LEFT_TO_YAML.test(text)) return null;
  try {
    return new BlockReader(text.split('\n')).documents();
  } catch (error) {
    if (error === LEFT_TO_YAML) return null;
    throw error;
  }
}

/** Tabs and CR change what counts as indentation or line ends; control characters are errors. */
const CHARACTERS_LEFT_TO_YAML = /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\u2028\u2029]/;

/** Thrown (one shared object, no stack) when the text is left to the `yaml` package. */
const LEFT_TO_YAML: unique symbol = Symbol('left to the yaml package');

function leaveToYaml(): never {
  throw LEFT_TO_YAML;
}

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
/** Characters that cannot start a plain scalar or key here (`-`, `?` and `:` are handled apart). */
const INDICATOR_CODES = new Uint8Array(128);
for (const c of ',[]{}#&*!|>\'"%@`') INDICATOR_CODES[c.charCodeAt(0)] = 1;
const INDICATORS = { has: (c: string): boolean => INDICATOR_CODES[c.charCodeAt(0)] === 1 };
/** The `yaml` package refuses implicit keys longer than 1024 characters. */
const MAX_KEY_LENGTH = 1000;

/** A character after `:` (or a leading `-`) that keeps it inside a plain scalar in a flow collection. */
const FLOW_PLAIN_AFTER_COLON = /^[^ ,[\]{}]$/;

/** A plain scalar may start with `:` or `-` when a non-space follows (`::1`, `-1`). */
function startsPlainScalar(line: string, col: number): boolean {
  return col + 1 < line.length && line.charCodeAt(col + 1) !== SPACE;
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === SPACE) n++;
  return n;
}

function isSequenceItem(line: string, col: number): boolean {
  return line.charCodeAt(col) === DASH && (col + 1 === line.length || line.charCodeAt(col + 1) === SPACE);
}

/** `---` or `...` at column 0, alone or followed by a comment; anything else after it is left to yaml. */
function documentMarker(line: string): '---' | '...' | null {
  if (line.length < 3) return null;
  const head = line.slice(0, 3);
  if (head !== '---' && head !== '...') return null;
  if (line.length === 3) return head;
  if (line.charCodeAt(3) !== SPACE) return null;
  const rest = line.slice(4).trimStart();
  if (rest === '' || rest[0] === '#') return head;
  return leaveToYaml();
}

/** Index after the closing quote of a one-line quoted scalar starting at `col`. */
function quotedEnd(line: string, col: number): number {
  const quote = line[col]!;
  let at = col + 1;
  for (;;) {
    const close = line.indexOf(quote, at);
    if (close < 0) return leaveToYaml();
    if (quote === "'") {
      if (line[close + 1] === "'") {
        at = close + 2;
        continue;
      }
      return close + 1;
    }
    let backslashes = 0;
    while (line[close - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    at = close + 1;
  }
}

function quotedValue(line: string, col: number, end: number): string {
  const body = line.slice(col + 1, end - 1);
  if (line[col] === "'") return body.indexOf("'") < 0 ? body : body.replaceAll("''", "'");
  return decodeDoubleQuoted(body) ?? leaveToYaml();
}

/** After a value: nothing, or spaces and a comment. */
function expectLineEnd(line: string, from: number): void {
  let at = from;
  while (line.charCodeAt(at) === SPACE) at++;
  if (at === line.length) return;
  if (line.charCodeAt(at) === HASH && at > from) return;
  leaveToYaml();
}

function trimSpacesEnd(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === SPACE) end--;
  return end === text.length ? text : text.slice(0, end);
}

class BlockReader {
  /** The line being read. */
  private i = 0;
  /** Its indentation, once nextContentLine has found it. */
  private indent = 0;

  constructor(private readonly lines: readonly string[]) {}

  documents(): unknown[] {
    const docs: unknown[] = [];
    let open = false;
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      const marker = documentMarker(line);
      if (marker === '---') {
        if (open) docs.push(null);
        open = true;
        this.i++;
        continue;
      }
      if (marker === '...') {
        if (!open) leaveToYaml();
        docs.push(null);
        open = false;
        this.i++;
        continue;
      }
      if (line.charCodeAt(0) === 37 /* % directive */) leaveToYaml();
      const col = indentOf(line);
      if (col === line.length || line.charCodeAt(col) === HASH) {
        this.i++;
        continue;
      }
      docs.push(this.blockValue(col, -1));
      open = false;
      const next = this.nextContentLine();
      if (next < 0) {
        if (this.i < this.lines.length && documentMarker(this.lines[this.i]!) === '...') this.i++;
        continue;
      }
      leaveToYaml();
    }
    if (open) docs.push(null);
    return docs;
  }

  /**
   * Moves to the next line with content, past blank and comment lines. -1 at the end of the text
   * or at a document marker (left as the current line).
   */
  private nextContentLine(): number {
    const lines = this.lines;
    for (; this.i < lines.length; this.i++) {
      const line = lines[this.i]!;
      const col = indentOf(line);
      if (col === line.length || line.charCodeAt(col) === HASH) continue;
      if (col === 0) {
        const first = line.charCodeAt(0);
        if ((first === DASH || first === 46 /* . */) && documentMarker(line) !== null) return -1;
        if (first === 37 /* % */) leaveToYaml();
      }
      this.indent = col;
      return this.i;
    }
    return -1;
  }

  /** The node whose first character is at `col` of the current line. */
  private blockValue(col: number, parentIndent: number): unknown {
    const line = this.lines[this.i]!;
    if (isSequenceItem(line, col)) return this.sequence(col);
    if (this.keyEnd(line, col) >= 0) return this.mapping(col);
    return this.inlineValue(line, col, parentIndent);
  }

  /** The value of a key or item with nothing after its indicator: the lines below, or null. */
  private indentedBlock(parentIndent: number, mappingParent: boolean): unknown {
    if (this.nextContentLine() < 0) return null;
    const line = this.lines[this.i]!;
    const indent = this.indent;
    if (mappingParent && indent === parentIndent && isSequenceItem(line, indent)) return this.sequence(indent);
    if (indent <= parentIndent) return null;
    return this.blockValue(indent, parentIndent);
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (;;) {
      const line = this.lines[this.i]!;
      let col = indent + 1;
      while (line.charCodeAt(col) === SPACE) col++;
      if (col === line.length || line.charCodeAt(col) === HASH) {
        this.i++;
        items.push(this.indentedBlock(indent, false));
      } else {
        items.push(this.blockValue(col, indent));
      }
      if (this.nextContentLine() < 0) return items;
      const next = this.lines[this.i]!;
      const nextIndent = this.indent;
      if (nextIndent < indent) return items;
      if (nextIndent > indent) leaveToYaml();
      if (!isSequenceItem(next, indent)) return items; // the parent mapping's next key, or its error
    }
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (;;) {
      const line = this.lines[this.i]!;
      const end = this.keyEnd(line, indent);
      if (end < 0) leaveToYaml();
      const key = this.keyText(line, indent, end - 1);
      if (Object.hasOwn(map, key) || key === '__proto__' || key === '<<') leaveToYaml();
      let col = end;
      while (line.charCodeAt(col) === SPACE) col++;
      if (col === line.length || line.charCodeAt(col) === HASH) {
        this.i++;
        map[key] = this.indentedBlock(indent, true);
      } else {
        map[key] = this.inlineValue(line, col, indent);
      }
      if (this.nextContentLine() < 0) return map;
      const nextIndent = this.indent;
      if (nextIndent < indent) return map;
      if (nextIndent > indent) leaveToYaml();
    }
  }

  /**
   * Where the `:` of an implicit key starting at `col` ends (the index after it), or -1 when the
   * line holds no key there. A `:` counts when a space or the line end follows it.
   */
  private keyEnd(line: string, col: number): number {
    const first = line[col]!;
    if (first === '"' || first === "'") {
      const end = quotedEnd(line, col);
      if (line.charCodeAt(end) !== COLON) return -1;
      return end + 1 === line.length || line.charCodeAt(end + 1) === SPACE ? end + 1 : leaveToYaml();
    }
    if (INDICATORS.has(first) || (first === '-' && !startsPlainScalar(line, col))) return -1;
    if (first === '?' || (first === ':' && !startsPlainScalar(line, col))) leaveToYaml();
    let colon = line.indexOf(':', col);
    while (colon >= 0 && colon + 1 < line.length && line.charCodeAt(colon + 1) !== SPACE) colon = line.indexOf(':', colon + 1);
    if (colon < 0) return -1;
    const hash = line.lastIndexOf(' #', colon);
    if (hash >= col) return -1;
    return colon + 1;
  }

  private keyText(line: string, col: number, colon: number): string {
    if (colon - col > MAX_KEY_LENGTH) leaveToYaml();
    const first = line[col];
    if (first === '"' || first === "'") return quotedValue(line, col, colon);
    const text = trimSpacesEnd(line.slice(col, colon));
    return plainKey(text);
  }

  /** A scalar or flow collection starting at `col` of the current line; moves past what it read. */
  private inlineValue(line: string, col: number, parentIndent: number): unknown {
    const first = line[col]!;
    if (first === '"' || first === "'") {
      const end = quotedEnd(line, col);
      expectLineEnd(line, end);
      this.i++;
      return quotedValue(line, col, end);
    }
    if (first === '|' || first === '>') return this.blockScalar(line, col, parentIndent);
    if (first === '[' || first === '{') {
      const flow = new FlowLine(line);
      const value = flow.value(col);
      expectLineEnd(line, flow.at);
      this.i++;
      return value;
    }
    if (INDICATORS.has(first) || first === '?' || (first === ':' && !startsPlainScalar(line, col)) || isSequenceItem(line, col)) leaveToYaml();
    const hash = line.indexOf(' #', col);
    const text = trimSpacesEnd(hash < 0 ? (col === 0 ? line : line.slice(col)) : line.slice(col, hash));
    if (text.indexOf(': ') >= 0 || text.charCodeAt(text.length - 1) === COLON) leaveToYaml();
    this.i++;
    // A comment ends the scalar; a deeper line after it is an error the parent leaves to yaml.
    return resolvePlainScalar(hash < 0 ? this.plainContinuation(text, parentIndent) : text);
  }

  /**
   * A plain scalar goes on over the following lines indented more than its parent (printers wrap
   * long strings so): each line break is a space, or as many line breaks as there are empty lines.
   * A continuation with a comment, a `: ` or an indicator first is left to yaml.
   */
  private plainContinuation(first: string, parentIndent: number): string {
    let text = first;
    let empty = 0;
    for (let j = this.i; j < this.lines.length; j++) {
      const line = this.lines[j]!;
      const spaces = indentOf(line);
      if (spaces === line.length) {
        empty++;
        continue;
      }
      if (spaces <= parentIndent || line.charCodeAt(spaces) === HASH) break;
      if (spaces === 0 && documentMarker(line) !== null) break;
      const part = trimSpacesEnd(line.slice(spaces));
      const lead = part[0]!;
      if (INDICATORS.has(lead) || lead === '-' || lead === '?' || lead === ':') leaveToYaml();
      if (part.indexOf(': ') >= 0 || part.indexOf(' #') >= 0 || part.charCodeAt(part.length - 1) === COLON) leaveToYaml();
      text += empty === 0 ? ` ${part}` : `${'\n'.repeat(empty)}${part}`;
      empty = 0;
      this.i = j + 1;
    }
    return text;
  }

  /** `|`, `|-`, `>`, `>-` and the lines below indented more than the parent. */
  private blockScalar(line: string, col: number, parentIndent: number): string {
    if (parentIndent < 0) leaveToYaml();
    const folded = line[col] === '>';
    let at = col + 1;
    const strip = line[at] === '-';
    if (strip) at++;
    const afterHeader = at;
    while (line.charCodeAt(at) === SPACE) at++;
    if (at < line.length && !(line.charCodeAt(at) === HASH && at > afterHeader)) leaveToYaml();
    this.i++;
    const body: string[] = [];
    let indent = -1;
    let leadingSpaces = 0;
    let pendingEmpty = 0;
    for (; this.i < this.lines.length; this.i++) {
      const text = this.lines[this.i]!;
      const spaces = indentOf(text);
      if (spaces === text.length) {
        if (indent < 0) leadingSpaces = Math.max(leadingSpaces, spaces);
        else if (spaces > indent) leaveToYaml();
        pendingEmpty++;
        continue;
      }
      if (indent < 0) {
        if (spaces <= parentIndent) break;
        if (leadingSpaces > spaces) leaveToYaml();
        indent = spaces;
      } else if (spaces < indent) {
        break;
      }
      for (; pendingEmpty > 0; pendingEmpty--) body.push('');
      body.push(indent === 0 ? text : text.slice(indent));
    }
    if (body.length === 0) return '';
    const content = folded ? foldLines(body) : body.join('\n');
    return strip ? content : `${content}\n`;
  }
}

/** `>` folding: a line break between two text lines is a space, each empty line a line break. */
function foldLines(body: readonly string[]): string {
  let out = '';
  let empty = 0;
  let started = false;
  for (const line of body) {
    if (line === '') {
      empty++;
      continue;
    }
    // More-indented lines keep their breaks under rules this reader does not implement.
    if (line.charCodeAt(0) === SPACE) leaveToYaml();
    if (started) out += empty === 0 ? ' ' : '\n'.repeat(empty);
    else out += '\n'.repeat(empty);
    out += line;
    empty = 0;
    started = true;
  }
  return out;
}

/** A flow collection that opens and closes on one line: `[]`, `{}`, `[a, "b"]`, `{k: v, n: [1]}`. */
class FlowLine {
  at = 0;

  constructor(private readonly line: string) {}

  value(from: number): unknown {
    this.at = from;
    return this.node();
  }

  private skipSpaces(): void {
    while (this.line.charCodeAt(this.at) === SPACE) this.at++;
  }

  private node(): unknown {
    this.skipSpaces();
    const first = this.line[this.at];
    if (first === '[') return this.sequence();
    if (first === '{') return this.mapping();
    if (first === '"' || first === "'") {
      const start = this.at;
      this.at = quotedEnd(this.line, start);
      return quotedValue(this.line, start, this.at);
    }
    return resolvePlainScalar(this.plain());
  }

  /**
   * A plain scalar inside a flow collection, ending at `,]}`. A `:` is part of it when a character
   * other than a space or flow indicator follows (`::/0`, `svc:ns/name:80`), a `#` when it does
   * not follow a space; anything else is left to yaml.
   */
  private plain(): string {
    const start = this.at;
    const first = this.line[start];
    if (first === undefined || INDICATORS.has(first) || first === '?') leaveToYaml();
    if ((first === '-' || first === ':') && !FLOW_PLAIN_AFTER_COLON.test(this.line[start + 1] ?? ' ')) leaveToYaml();
    for (; this.at < this.line.length; this.at++) {
      const c = this.line[this.at]!;
      if (c === ',' || c === ']' || c === '}') break;
      if (c === ':' && !FLOW_PLAIN_AFTER_COLON.test(this.line[this.at + 1] ?? ' ')) leaveToYaml();
      if ((c === '#' && this.line.charCodeAt(this.at - 1) === SPACE) || c === '[' || c === '{') leaveToYaml();
    }
    return trimSpacesEnd(this.line.slice(start, this.at));
  }

  private sequence(): unknown[] {
    const items: unknown[] = [];
    this.at++;
    this.skipSpaces();
    if (this.line[this.at] === ']') {
      this.at++;
      return items;
    }
    for (;;) {
      items.push(this.node());
      this.skipSpaces();
      const c = this.line[this.at];
      this.at++;
      if (c === ']') return items;
      if (c !== ',') leaveToYaml();
      this.skipSpaces();
      if (this.line[this.at] === ']') leaveToYaml();
    }
  }

  private mapping(): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    this.at++;
    this.skipSpaces();
    if (this.line[this.at] === '}') {
      this.at++;
      return map;
    }
    for (;;) {
      const first = this.line[this.at];
      let key: string;
      if (first === '"' || first === "'") {
        const start = this.at;
        this.at = quotedEnd(this.line, start);
        key = quotedValue(this.line, start, this.at);
        this.skipSpaces();
        if (this.line[this.at] !== ':') leaveToYaml();
      } else {
        const start = this.at;
        const colon = this.line.indexOf(': ', start);
        if (colon < 0) leaveToYaml();
        const text = trimSpacesEnd(this.line.slice(start, colon));
        if (text === '' || INDICATORS.has(text[0]!) || text[0] === '?' || text[0] === '-' || /[,[\]{}#:]/.test(text)) leaveToYaml();
        key = plainKey(text);
        this.at = colon;
      }
      if (this.line.charCodeAt(this.at + 1) !== SPACE) leaveToYaml();
      this.at += 2;
      if (Object.hasOwn(map, key) || key === '__proto__' || key === '<<') leaveToYaml();
      this.skipSpaces();
      const c0 = this.line[this.at];
      if (c0 === ',' || c0 === '}') leaveToYaml();
      map[key] = this.node();
      this.skipSpaces();
      const c = this.line[this.at];
      this.at++;
      if (c === '}') return map;
      if (c !== ',') leaveToYaml();
      this.skipSpaces();
      if (this.line[this.at] === '}') leaveToYaml();
    }
  }
}
