import { parseIp, prefixMask } from '../../net/ip.js';
import type { ConstantForm, MatchExpr, MatchValue } from '../../match/ast.js';
import { MatchSyntaxError, tokenize, type RelOp, type Token } from './lexer.js';
import { isNominalPredicate, lookupSymbol, type FieldSymbol } from './symbols.js';

/**
 * Parses an OVN match (ovn-sb(5) "match") into a MatchExpr, with OVN's own restrictions:
 * `&&` and `||` need parentheses when mixed, `!` needs parentheses around a comparison, nominal
 * fields and predicates only positive equality, constants must fit the field. (What OVN accepts
 * and rejects is pinned against ovn-trace in test/e2e/explain/matchValidity.ovn.test.ts.)
 *
 *   parseMatch('inport == @np.prod.web && ip4 && tcp.dst == 80')
 */
export function parseMatch(expression: string): MatchExpr {
  return new Parser(expression).parseWhole();
}

/**
 * parseMatch for the thousands of rows of one program. A compile prints few shapes of match
 * (`outport == @pg && ip4.src == $set && tcp.dst == 80`) that differ only in the names of their
 * `$set`/`@group` references, and the parser's answer depends on those names only where it copies
 * them into the tree: each match is tokenized, its tokens with the reference names left out are
 * parsed once, and the tree of that shape is copied with the row's names (the parts without
 * references are shared). A shape that does not parse is parsed again as written, for an error
 * naming this match's own text and columns.
 */
export class MatchParseCache {
  /** Shape → its tree, or null when it does not parse. */
  private readonly shapes = new Map<string, MatchShape | null>();

  parse(expression: string): MatchExpr {
    // Without quoted strings or `//` comments, a `$`/`@` and a name is a reference, named as the
    // lexer reads it: the text with each name cut out (marked by a NUL, which a match cannot
    // hold) is the shape, and a known shape needs no tokenizing.
    if (expression.includes('"') || expression.includes('//') || expression.includes(PLACEHOLDER)) {
      return this.parseTokens(expression, tokenize(expression));
    }
    const names: string[] = [];
    const key = expression.replace(REFERENCE, (reference: string) => {
      names.push(reference.slice(1));
      return PLACEHOLDER + reference[0]!;
    });
    const shape = this.shapes.get(key) ?? this.learn(key, expression, tokenize(expression));
    return this.instantiate(shape, expression, names, null);
  }

  /** Matches with strings or comments: the shape is read from the tokens. */
  private parseTokens(expression: string, tokens: Token[]): MatchExpr {
    const names: string[] = [];
    let key = '"';
    for (const t of tokens) {
      if (t.kind === 'addressSet' || t.kind === 'portGroup') {
        key += t.kind === 'addressSet' ? '$\u0001' : '@\u0001';
        names.push(t.text);
      } else key += `${t.kind} ${t.kind === 'string' ? JSON.stringify(t.text) : t.text}\u0001`;
    }
    const shape = this.shapes.get(key) ?? this.learn(key, expression, tokens);
    return this.instantiate(shape, expression, names, tokens);
  }

  /** Parses a shape once: the tokens with each reference name replaced by a numbered placeholder. */
  private learn(key: string, expression: string, tokens: Token[]): MatchShape | null {
    let shape: MatchShape | null = null;
    try {
      let n = 0;
      const template = tokens.map((t) => (t.kind === 'addressSet' || t.kind === 'portGroup' ? { ...t, text: `${PLACEHOLDER}${n++}` } : t));
      const tree = new Parser(expression, template).parseWhole();
      shape = { tree, build: builderOf(tree) };
    } catch (e) {
      if (!(e instanceof MatchSyntaxError)) throw e;
    }
    this.shapes.set(key, shape);
    return shape;
  }

  private instantiate(shape: MatchShape | null, expression: string, names: readonly string[], tokens: Token[] | null): MatchExpr {
    // A shape that does not parse: this match's own error (its text, its columns).
    if (shape === null) return new Parser(expression, tokens ?? tokenize(expression)).parseWhole();
    return shape.build === null ? shape.tree : shape.build(names);
  }
}

/** A reference as the lexer reads one: `$` or `@`, a letter or `_`, then letters, digits, `_` and `.`. */
const REFERENCE = /[$@][A-Za-z_][A-Za-z0-9_.]*/g;

interface MatchShape {
  /** The tree with placeholders for the reference names. */
  readonly tree: MatchExpr;
  /** Builds the tree with a match's names; null when the shape has none (its tree is the answer). */
  readonly build: Builder | null;
}

const PLACEHOLDER = '\u0000';

type Builder = (names: readonly string[]) => MatchExpr;

/**
 * How to copy the shape's tree with the n-th placeholder replaced by names[n], worked out once per
 * shape: only the nodes on the way to a reference are copied, the others are shared. Null when
 * `e` holds no reference.
 */
function builderOf(e: MatchExpr): Builder | null {
  switch (e.type) {
    case 'and':
    case 'or': {
      const parts = e.children.map(builderOf);
      if (parts.every((b) => b === null)) return null;
      const { type, children } = e;
      return (names) => ({ type, children: parts.map((b, i) => (b === null ? children[i]! : b(names))) });
    }
    case 'not': {
      const child = builderOf(e.child);
      return child === null ? null : (names) => ({ type: 'not', child: child(names) });
    }
    case 'compare': {
      const slots = e.values.map((v) => (v.kind === 'addressSet' || v.kind === 'portGroup' ? Number(v.name.slice(PLACEHOLDER.length)) : -1));
      if (slots.every((n) => n < 0)) return null;
      const { field, op, values } = e;
      return (names) => ({
        type: 'compare',
        field,
        op,
        values: values.map((v, i) => (slots[i]! < 0 ? v : { kind: v.kind as 'addressSet' | 'portGroup', name: names[slots[i]!]! })),
      });
    }
    default:
      return null;
  }
}

const FLIPPED: Record<RelOp, RelOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(
    private readonly expression: string,
    tokens: Token[] = tokenize(expression),
  ) {
    this.tokens = tokens;
  }

  parseWhole(): MatchExpr {
    const expr = this.parseExpr();
    const rest = this.peek();
    if (rest.kind !== 'end') this.fail(rest, `unexpected ${describe(rest)}`);
    return expr;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  private fail(at: Token, detail: string): never {
    throw new MatchSyntaxError(this.expression, at.offset, detail);
  }

  /** Parity of the `!` operators around the current position (OVN checks nominal tests against it). */
  private negated = false;

  private parseExpr(): MatchExpr {
    const first = this.parseUnary();
    const op = this.peek();
    if (op.kind !== 'and' && op.kind !== 'or') return first;
    const children = [first];
    while (this.peek().kind === op.kind) {
      this.next();
      children.push(this.parseUnary());
    }
    const mixed = this.peek();
    if (mixed.kind === 'and' || mixed.kind === 'or') {
      this.fail(mixed, '&& and || must be parenthesized when used together');
    }
    return { type: op.kind, children };
  }

  private parseUnary(): MatchExpr {
    const t = this.peek();
    if (t.kind === 'not') {
      this.next();
      const after = this.peek();
      if ((after.kind === 'id' || after.kind === 'constant') && this.peek(1).kind === 'relop') {
        this.fail(after, '! requires parentheses around a comparison, e.g. !(tcp.dst == 80)');
      }
      this.negated = !this.negated;
      const child = this.parseUnary();
      this.negated = !this.negated;
      return { type: 'not', child };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): MatchExpr {
    const t = this.peek();
    if (t.kind === 'lparen') {
      this.next();
      const inner = this.parseExpr();
      const close = this.next();
      if (close.kind !== 'rparen') this.fail(close, `expected ")" but found ${describe(close)}`);
      return inner;
    }
    if (t.kind === 'id') {
      this.next();
      if (this.peek().kind === 'relop') return this.parseComparisonFrom(t);
      return this.symbolExpr(t);
    }
    if (t.kind === 'constant' && this.peek(1).kind !== 'relop') {
      this.next();
      if (t.text === '0' || t.text === '1') return { type: 'bool', value: t.text === '1' };
      this.fail(t, `a constant alone is not a condition (only 0 and 1 are), found ${t.text}`);
    }
    if (t.kind === 'constant' || t.kind === 'string' || t.kind === 'lbrace') {
      return this.parseComparisonFromValue();
    }
    return this.fail(t, `expected a condition but found ${describe(t)}`);
  }

  /** `field op value` */
  private parseComparisonFrom(fieldToken: Token): MatchExpr {
    const field = this.fieldSymbol(fieldToken);
    const op = this.next().text as RelOp;
    const values = this.parseValues(field, fieldToken);
    return this.comparison(fieldToken, field, op, values);
  }

  /** `value op field` and the range form `min <= field <= max`. */
  private parseComparisonFromValue(): MatchExpr {
    const lhsStart = this.peek();
    const lhsRaw = this.parseRawValues();
    const op1 = this.next();
    if (op1.kind !== 'relop') this.fail(op1, `expected a comparison operator but found ${describe(op1)}`);
    const fieldToken = this.next();
    if (fieldToken.kind !== 'id') this.fail(fieldToken, `expected a field name but found ${describe(fieldToken)}`);
    const field = this.fieldSymbol(fieldToken);
    const lhs = lhsRaw.map((raw) => this.typedValue(raw, field, fieldToken));
    const first = this.comparison(lhsStart, field, FLIPPED[op1.text as RelOp], lhs, fieldToken.text);
    if (this.peek().kind !== 'relop') return first;
    const op2 = this.next();
    const second = this.comparison(op2, field, op2.text as RelOp, this.parseValues(field, fieldToken), fieldToken.text);
    return { type: 'and', children: [first, second] };
  }

  private comparison(at: Token, field: FieldSymbol, op: RelOp, values: MatchValue[], name = at.text): MatchExpr {
    if (!field.ordinal && (op === '==' || op === '!=') && (op === '!=') !== this.negated) {
      // OVN: "Nominal field ... may only be tested for equality (taking enclosing `!' operators
      // into account)": inport != "a", !(ip.proto == 6) are rejected; !(inport != "a") is fine.
      this.fail(at, `nominal field ${name} may only be tested for equality (taking enclosing ! operators into account)`);
    }
    if (op !== '==' && op !== '!=') {
      if (!field.ordinal) this.fail(at, `${name} is a nominal field: only == and != are allowed, found ${op}`);
      if (values.length !== 1 || values[0]!.kind !== 'int') {
        this.fail(at, `${op} needs a single constant, not a set`);
      }
    }
    return { type: 'compare', field: name, op, values };
  }

  private fieldSymbol(t: Token): FieldSymbol {
    const sym = lookupSymbol(t.text);
    if (!sym) this.fail(t, `unknown field ${t.text}`);
    if (sym.kind !== 'field') this.fail(t, `${t.text} is a predicate and cannot be compared; use it alone`);
    return sym;
  }

  private symbolExpr(t: Token): MatchExpr {
    const sym = lookupSymbol(t.text);
    if (!sym) this.fail(t, `unknown symbol ${t.text}`);
    if (sym.kind === 'field' && sym.width !== 1) {
      this.fail(t, `${t.text} is a ${sym.width || 'string'}-bit field and needs an explicit comparison`);
    }
    if (this.negated && sym.kind === 'predicate' && isNominalPredicate(t.text)) {
      // OVN: "Nominal predicate tcp may only be tested positively ... but not `!tcp'".
      this.fail(t, `nominal predicate ${t.text} may only be tested positively, not under !`);
    }
    return { type: 'symbol', name: t.text };
  }

  private parseValues(field: FieldSymbol, fieldToken: Token): MatchValue[] {
    return this.parseRawValues().map((raw) => this.typedValue(raw, field, fieldToken));
  }

  /** One value or a `{...}` set (commas optional, as in OVN). */
  private parseRawValues(): Token[] {
    const t = this.next();
    if (t.kind !== 'lbrace') {
      if (!isValueToken(t)) this.fail(t, `expected a value but found ${describe(t)}`);
      return [t];
    }
    const items: Token[] = [];
    for (;;) {
      const v = this.next();
      if (v.kind === 'rbrace') {
        // OVN's parser wants at least one constant in a literal set (an empty Address_Set is fine).
        if (items.length === 0) this.fail(v, 'a set needs at least one constant');
        return items;
      }
      if (v.kind === 'comma') continue;
      if (!isValueToken(v)) this.fail(v, `expected a value or "}" in set but found ${describe(v)}`);
      items.push(v);
    }
  }

  private typedValue(t: Token, field: FieldSymbol, fieldToken: Token): MatchValue {
    const name = fieldToken.text;
    if (t.kind === 'string') {
      if (field.type !== 'string') this.fail(t, `${name} is not a string field, found "${t.text}"`);
      return { kind: 'string', value: t.text };
    }
    if (t.kind === 'portGroup') {
      if (field.type !== 'string') this.fail(t, `port group @${t.text} can only be compared with inport/outport`);
      return { kind: 'portGroup', name: t.text };
    }
    if (t.kind === 'addressSet') {
      if (field.type !== 'ipv4' && field.type !== 'ipv6' && field.type !== 'mac') {
        this.fail(t, `address set $${t.text} can only be compared with an address field, not ${name}`);
      }
      return { kind: 'addressSet', name: t.text };
    }
    if (field.type === 'string') this.fail(t, `${name} needs a quoted port name or @port_group, found ${t.text}`);
    const constant = parseConstant(t.text);
    if (typeof constant === 'string') this.fail(t, constant);
    if (field.type === 'ipv4' && constant.form === 'ipv6') this.fail(t, `IPv6 constant ${t.text} compared with ${name}`);
    if (field.type === 'ipv6' && constant.form === 'ipv4') this.fail(t, `IPv4 constant ${t.text} compared with ${name}`);
    if (constant.value >= 1n << BigInt(field.width)) this.fail(t, `constant ${t.text} does not fit the ${field.width}-bit field ${name}`);
    return constant;
  }
}

function isValueToken(t: Token): boolean {
  return t.kind === 'constant' || t.kind === 'string' || t.kind === 'addressSet' || t.kind === 'portGroup';
}

function describe(t: Token): string {
  return t.kind === 'end' ? 'end of match' : JSON.stringify(t.text);
}

/** A constant with optional mask; returns an error message on failure. */
export function parseConstant(text: string): Extract<MatchValue, { kind: 'int' }> | string {
  const slash = text.indexOf('/');
  const valueText = slash < 0 ? text : text.slice(0, slash);
  const base = parseBareConstant(valueText);
  if (!base) return `cannot read constant ${text}`;
  if (slash < 0) return { kind: 'int', form: base.form, value: base.value, mask: null, text };
  const maskText = text.slice(slash + 1);
  let mask: bigint;
  if ((base.form === 'ipv4' || base.form === 'ipv6') && /^[0-9]+$/.test(maskText)) {
    const bits = base.form === 'ipv4' ? 32 : 128;
    const prefix = Number(maskText);
    if (prefix > bits) return `prefix /${maskText} is too long for ${valueText}`;
    mask = prefixMask(base.form === 'ipv4' ? 4 : 6, prefix);
  } else {
    const m = parseBareConstant(maskText);
    if (!m) return `cannot read mask ${maskText}`;
    mask = m.value;
  }
  // OVN accepts a value with bits outside its mask; the flow compares under the mask.
  return { kind: 'int', form: base.form, value: base.value & mask, mask, text };
}

function parseBareConstant(text: string): { form: ConstantForm; value: bigint } | null {
  if (/^[0-9]+$/.test(text)) return { form: 'integer', value: BigInt(text) };
  if (/^0x[0-9a-fA-F]+$/.test(text)) return { form: 'integer', value: BigInt(text) };
  if (/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(text)) {
    return { form: 'mac', value: BigInt(`0x${text.replaceAll(':', '')}`) };
  }
  const ip = parseIp(text);
  if (ip) return { form: ip.family === 4 ? 'ipv4' : 'ipv6', value: ip.value };
  return null;
}
