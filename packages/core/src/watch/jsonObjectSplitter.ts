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

export class JsonObjectSplitter {
  private pending = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private startLine = 0;
  private line = 1;

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

  private scan(chunk: string, out: SplitValue[]): void {
    const base = this.pending.length;
    this.pending += chunk;
    const text = this.pending;
    for (let i = base; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) {
        if (this.depth === 0) {
          this.start = i;
          this.startLine = this.line;
        }
        this.depth++;
      } else if (c === 125 || c === 93) {
        this.depth--;
        if (this.depth === 0) {
          out.push({ text: text.slice(this.start, i + 1), line: this.startLine });
          this.start = -1;
        } else if (this.depth < 0) {
          throw new WatchStreamSyntaxError(this.line, `unexpected "${String.fromCharCode(c)}"`);
        }
      } else if (this.depth === 0 && c !== 32 && c !== 9 && c !== 10 && c !== 13) {
        throw new WatchStreamSyntaxError(this.line, `expected a JSON object, found "${String.fromCharCode(c)}"`);
      }
    }
    // Keep only the unfinished value (or nothing) for the next chunk.
    this.pending = this.depth > 0 ? text.slice(this.start) : '';
    if (this.depth > 0) this.start = 0;
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
