import { afterSpace, jsonKeyCount, stringEnd } from './jsonText.js';

/**
 * A `kind: List` JSON text (`kubectl get -o json`) read item by item: where each item's text is,
 * so that each item can be parsed and turned into the model before the next is parsed. Parsed
 * whole, the tree of a 20 MB list is alive until the last item is read, and the young-generation
 * collector copies all of it twice; item by item, what the model does not keep dies young.
 *
 * Why the items found are the list's: the text is the list's head (scanned: `items` is a key of
 * the top object), the items, and its tail; each item's text must be one JSON object for
 * JSON.parse (the caller's), the items are separated by commas, and the list without its items
 * (`envelope`) must be JSON of a `kind: …List` with `items: []`. Together that is the text
 * JSON.parse would read whole, with those items: however an item's end was found (by the
 * indentation of a pretty-printed list, or by counting brackets), a wrong guess only makes an
 * item that JSON.parse refuses. That no object repeats a key is known once every item was parsed:
 * the caller checks `writtenKeys` against the parsed keys (keyCount), as parseJsonUniqueKeys does.
 * On any of these the caller drops what it read and reads the text whole, as before.
 */
export class JsonListItems {
  /** The current item's text: from `start` to `end` (exclusive), after next() gave true. */
  start = 0;
  end = 0;
  private at: number;
  private first = true;
  private itemsClose = -1;
  private failed = false;
  private keys: number;

  private constructor(
    private readonly text: string,
    /** The `[` of the items. */
    private readonly itemsOpen: number,
    headKeys: number,
    /**
     * How an item of a pretty-printed list (`JSON.stringify(list, null, 4)`, kubectl's output)
     * ends: a line break, the indentation of the item's `{`, and `}` (itemEndMark). null: items
     * are found by counting brackets (a compact list), which in an indented text would walk
     * every space.
     */
    private readonly itemEnd: string | null,
  ) {
    this.at = itemsOpen + 1;
    this.keys = headKeys;
  }

  /** The reader of a text whose top object has an `items` array; null for any other text. */
  static of(text: string): JsonListItems | null {
    // As documents.ts' wholeTextJson, which leaves such a text to the document split.
    if (text.includes('\u2028') || text.includes('\u2029')) return null;
    let i = afterSpace(text, 0);
    if (text.charCodeAt(i) !== OPEN_BRACE) return null;
    // The head: brackets counted up to the `[` after the top object's key `items`.
    let depth = 0;
    let keys = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        const close = stringEnd(text, i);
        if (close === -1) return null;
        const next = afterSpace(text, close + 1);
        const isKey = text.charCodeAt(next) === COLON;
        const isItems = isKey && depth === 1 && close - i === 6 && text.startsWith('items', i + 1);
        i = close;
        if (!isKey) continue;
        keys++;
        if (!isItems) continue;
        const open = afterSpace(text, next + 1);
        return text.charCodeAt(open) === OPEN_BRACKET ? new JsonListItems(text, open, keys, itemEndMark(text, open)) : null;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth <= 0) return null;
    }
    return null;
  }

  /** Moves to the next item (start, end); false at the end of the items, or when the text is not as expected. */
  next(): boolean {
    const { text } = this;
    let i = afterSpace(text, this.at);
    if (text.charCodeAt(i) === CLOSE_BRACKET) {
      this.itemsClose = i;
      return false;
    }
    if (!this.first) {
      if (text.charCodeAt(i) !== COMMA) return this.fail();
      i = afterSpace(text, i + 1);
    }
    if (text.charCodeAt(i) !== OPEN_BRACE) return this.fail();
    const end = this.itemEnd === null ? this.closingBrace(i) : this.markedEnd(i, this.itemEnd);
    if (end === -1) return this.fail();
    this.first = false;
    this.start = i;
    this.end = this.at = end;
    return true;
  }

  /** The list without its items, as JSON.parse reads it; null when the text is not a list read to its end. */
  envelope(): Record<string, unknown> | null {
    if (this.failed || this.itemsClose === -1) return null;
    let list: unknown;
    try {
      list = JSON.parse(`${this.text.slice(0, this.itemsOpen + 1)}${this.text.slice(this.itemsClose)}`);
    } catch {
      return null;
    }
    if (list === null || typeof list !== 'object' || Array.isArray(list)) return null;
    // `items` is the `[]` left in the text (written once: the caller's key count holds that).
    const { kind } = list as Record<string, unknown>;
    if (typeof kind !== 'string' || !kind.endsWith('List')) return null;
    return list as Record<string, unknown>;
  }

  /** Keys written in the whole text (strings followed by `:`), once the items were read. */
  get writtenKeys(): number {
    return this.keys + jsonKeyCount(this.text, this.itemsClose);
  }

  private fail(): false {
    this.failed = true;
    return false;
  }

  /** After the `}` that closes the object opened at `open`, counting brackets outside strings; keys counted. */
  private closingBrace(open: number): number {
    const { text } = this;
    let depth = 0;
    for (let i = open; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        const close = stringEnd(text, i);
        if (close === -1) return -1;
        if (text.charCodeAt(afterSpace(text, close + 1)) === COLON) this.keys++;
        i = close;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
      } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) {
        return i + 1;
      }
    }
    return -1;
  }

  /** After the first `mark` (a line of the item's indentation and `}`) from `open`; keys counted. */
  private markedEnd(open: number, mark: string): number {
    const at = this.text.indexOf(mark, open);
    if (at === -1) return -1;
    const end = at + mark.length;
    this.keys += jsonKeyCount(this.text, open, end);
    return end;
  }
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;

/**
 * `\n`, the spaces and tabs before the first item's `{`, and `}`: the end of an item in a
 * pretty-printed list; null when no line break precedes the first item.
 */
function itemEndMark(text: string, itemsOpen: number): string | null {
  const first = afterSpace(text, itemsOpen + 1);
  const lineStart = text.lastIndexOf('\n', first) + 1;
  if (lineStart <= itemsOpen) return null;
  const indent = text.slice(lineStart, first);
  return /^[ \t]*$/.test(indent) ? `\n${indent}}` : null;
}
