/**
 * Splits a chunked text stream of concatenated JSON values, as `kubectl get --watch -o json`
 * prints them (pretty-printed objects one after another, no separator), into the text of each
 * top-level value. Fed chunk by chunk; a value split across chunks is joined once, when it ends.
 * Tracks strings and escapes so braces inside strings do not count.
 */
export interface SplitValue {
  readonly text: string;
  /** 1-based line of the stream the value starts on. */
  readonly line: number;
}

/** Inside a value: the next bracket or quote. */
const STRUCTURE = /[{}[\]"]/g;
/** Between values: the next character that is not JSON whitespace. */
const NOT_SPACE = /[^ \t\n\r]/g;

export class JsonObjectSplitter {
  /** The text of the unfinished value read in earlier chunks, joined once when the value ends. */
  private parts: string[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private startLine = 0;
  private line = 1;
  /** The chunk being scanned has its newlines up to here counted in `line`. */
  private counted = 0;

  /**
   * Set once text outside a value is not whitespace: the values before it were returned, and
   * every later `push` or `end` throws it.
   */
  failure: WatchStreamSyntaxError | null = null;

  /** The values completed by this chunk. Text outside values must be whitespace. */
  push(chunk: string): SplitValue[] {
    if (this.failure) throw this.failure;
    const out: SplitValue[] = [];
    try {
      this.scan(chunk, out);
    } catch (error) {
      if (!(error instanceof WatchStreamSyntaxError)) throw error;
      this.failure = error;
    }
    return out;
  }

  /**
   * Jumps between the characters that matter instead of stepping through every one: inside a
   * string to its next quote (`indexOf`), inside a value to its next bracket or quote, between
   * values to the next non-whitespace character (sticky regexes). Newlines are counted only up to
   * where a line number is needed. Pretty-printed watch output is mostly indentation and string
   * text, which this skips natively (docs/speed-log.md, sync).
   */
  private scan(chunk: string, out: SplitValue[]): void {
    // Only the new chunk is scanned: appending it to the unfinished value's text would make a
    // string V8 copies whole on each chunk, quadratic in a value as long as an initial List.
    const text = chunk;
    this.counted = 0;
    let i = 0;
    while (i < text.length) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          i++;
          continue;
        }
        const quote = text.indexOf('"', i);
        const stop = quote < 0 ? text.length : quote;
        // A run of backslashes right before the quote (or the chunk's end) escapes it when odd;
        // the run starts after `i`, where the string is known not to be in an escape.
        let slashes = 0;
        while (stop - slashes - 1 >= i && text.charCodeAt(stop - slashes - 1) === 92) slashes++;
        if (quote < 0) {
          this.escaped = slashes % 2 === 1;
          break;
        }
        if (slashes % 2 === 0) this.inString = false;
        i = quote + 1;
        continue;
      }
      const pattern = this.depth === 0 ? NOT_SPACE : STRUCTURE;
      pattern.lastIndex = i;
      const found = pattern.exec(text);
      if (found === null) break;
      i = found.index;
      const c = text.charCodeAt(i);
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) {
        if (this.depth === 0) {
          this.start = i;
          this.startLine = this.lineAt(text, i);
        }
        this.depth++;
      } else if (c === 125 || c === 93) {
        this.depth--;
        if (this.depth === 0) {
          const value = this.start >= 0 ? text.slice(this.start, i + 1) : this.parts.join('') + text.slice(0, i + 1);
          out.push({ text: value, line: this.startLine });
          this.parts = [];
          this.start = -1;
        } else if (this.depth < 0) {
          throw new WatchStreamSyntaxError(this.lineAt(text, i), `unexpected "${String.fromCharCode(c)}"`);
        }
      } else {
        // Only NOT_SPACE (between values) finds any other character.
        throw new WatchStreamSyntaxError(this.lineAt(text, i), `expected a JSON object, found "${String.fromCharCode(c)}"`);
      }
      i++;
    }
    this.lineAt(text, text.length);
    // Keep the unfinished value's text (or nothing) for the next chunk; -1: it began earlier.
    if (this.depth > 0) this.parts.push(this.start >= 0 ? text.slice(this.start) : text);
    this.start = -1;
  }

  /** The 1-based line of `text[at]`: newlines are counted from where the last count stopped. */
  private lineAt(text: string, at: number): number {
    for (let nl = text.indexOf('\n', this.counted); nl >= 0 && nl < at; nl = text.indexOf('\n', nl + 1)) this.line++;
    this.counted = Math.max(this.counted, at);
    return this.line;
  }

  /** At end of input: an unfinished value is an error. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.depth > 0) throw new WatchStreamSyntaxError(this.startLine, 'the input ends inside a JSON value');
  }
}

export class WatchStreamSyntaxError extends Error {
  readonly code = 'NBGEN_WATCH_SYNTAX';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'WatchStreamSyntaxError';
  }
}
