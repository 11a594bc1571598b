/**
 * Tokenizer for OVN match expressions (ovn-sb(5) "match"), the subset ovn-nbgen and Kube-OVN emit:
 * identifiers (`ip4.src`, `tcp.dst`), integers (decimal, 0x hex), IPv4/IPv6/Ethernet constants with
 * an optional `/mask` or `/prefix`, JSON-style quoted strings, `$address_set` and `@port_group`
 * references, `{ }` sets, `( )`, `!`, `&&`, `||` and the relational operators.
 */
export type TokenKind =
  | 'id'
  | 'constant'
  | 'string'
  | 'addressSet'
  | 'portGroup'
  | 'relop'
  | 'and'
  | 'or'
  | 'not'
  | 'lparen'
  | 'rparen'
  | 'lbrace'
  | 'rbrace'
  | 'comma'
  | 'end';

export type { RelOp } from '../../match/ast.js';

export interface Token {
  readonly kind: TokenKind;
  /** Text as written (for strings: the decoded value; for references: the name without `$`/`@`). */
  readonly text: string;
  /** 0-based character offset in the expression, for error messages. */
  readonly offset: number;
}

export class MatchSyntaxError extends Error {
  readonly code = 'NBGEN_MATCH_SYNTAX';
  constructor(
    readonly expression: string,
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${detail} at column ${offset + 1} of match ${JSON.stringify(expression)}`);
    this.name = 'MatchSyntaxError';
  }
}

const isIdStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // [A-Za-z_]
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isNameChar = (c: number): boolean => isIdStart(c) || isDigit(c) || c === 46; // [A-Za-z0-9_.]
/** Characters of a numeric-looking constant: digits, hex, dots (IPv4), colons (IPv6/MAC), `x`. */
const isConstantChar = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) || c === 46 || c === 58; // [0-9A-Za-z.:]

const SINGLE: Readonly<Partial<Record<string, TokenKind>>> = {
  '(': 'lparen',
  ')': 'rparen',
  '{': 'lbrace',
  '}': 'rbrace',
  ',': 'comma',
  '!': 'not',
  '<': 'relop',
  '>': 'relop',
};
const DOUBLE: Readonly<Partial<Record<string, TokenKind>>> = { '&&': 'and', '||': 'or', '==': 'relop', '!=': 'relop', '<=': 'relop', '>=': 'relop' };

// Scans character codes (no regular expression or substring per character): a compile's
// thousands of ACL matches are tokenized each time explain, matrix or nbgen test loads rows.
export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = expression.length;
  const fail = (at: number, detail: string): never => {
    throw new MatchSyntaxError(expression, at, detail);
  };
  const code = (at: number): number => (at < n ? expression.charCodeAt(at) : -1);
  while (i < n) {
    const c = expression[i]!;
    const cc = expression.charCodeAt(i);
    if (cc === 32 || cc === 9 || cc === 10 || cc === 13) {
      i++;
      continue;
    }
    const next = code(i + 1);
    if (cc === 47 && next === 47) break; // OVN allows // comments to the end of the line; our matches are one line.
    const double = next === -1 ? undefined : DOUBLE[c + expression[i + 1]!];
    if (double) {
      tokens.push({ kind: double, text: expression.slice(i, i + 2), offset: i });
      i += 2;
      continue;
    }
    const kind = SINGLE[c];
    if (kind) {
      tokens.push({ kind, text: c, offset: i });
      i++;
      continue;
    }
    if (c === '"') {
      const { value, end } = readString(expression, i, fail);
      tokens.push({ kind: 'string', text: value, offset: i });
      i = end;
      continue;
    }
    if (c === '$' || c === '@') {
      let j = i + 1;
      if (j >= n || !isIdStart(code(j))) fail(i, `expected a name after "${c}"`);
      while (j < n && isNameChar(code(j))) j++;
      tokens.push({ kind: c === '$' ? 'addressSet' : 'portGroup', text: expression.slice(i + 1, j), offset: i });
      i = j;
      continue;
    }
    if (isDigit(cc) || cc === 58 || isIdStart(cc)) {
      // A run such as `fd00::1` or `aa:bb:cc:dd:ee:ff` starts like an identifier but is a
      // constant; OVN's lexer makes the same distinction by looking at the whole run.
      let j = i;
      let colon = false;
      while (j < n && (isConstantChar(code(j)) || code(j) === 95)) {
        if (code(j) === 58) colon = true;
        j++;
      }
      const isConstant = isDigit(cc) || colon;
      if (!isConstant) {
        const run = expression.slice(i, j);
        if (expression[j] === '[') fail(j, `subfield syntax ${run}[...] is not supported by explain`);
        tokens.push({ kind: 'id', text: run, offset: i });
        i = j;
        continue;
      }
      // Optional mask: `10.0.0.0/8`, `10.0.0.0/255.0.0.0`, `0x10/0xf0`, `fd00::/64`.
      if (expression[j] === '/') {
        let k = j + 1;
        while (k < n && isConstantChar(code(k))) k++;
        if (k === j + 1) fail(j, 'expected a mask after "/"');
        j = k;
      }
      tokens.push({ kind: 'constant', text: expression.slice(i, j), offset: i });
      i = j;
      continue;
    }
    fail(i, `unexpected character ${JSON.stringify(c)}`);
  }
  tokens.push({ kind: 'end', text: '', offset: n });
  return tokens;
}

function readString(
  expression: string,
  start: number,
  fail: (at: number, detail: string) => never,
): { value: string; end: number } {
  let j = start + 1;
  while (j < expression.length) {
    const ch = expression[j]!;
    if (ch === '\\') {
      j += 2;
      continue;
    }
    if (ch === '"') {
      try {
        return { value: JSON.parse(expression.slice(start, j + 1)) as string, end: j + 1 };
      } catch {
        return fail(start, 'invalid escape in quoted string');
      }
    }
    j++;
  }
  return fail(start, 'unterminated quoted string');
}
