import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMatchExpr, parseMatch, type MatchExpr } from '../../src/explain/index.js';

// Any expression the formatter writes, the parser reads back as the same tree: the two agree on
// OVN's syntax (parenthesized &&/|| mixes, !(...) around comparisons, sets, ranges as two tests).
const port = fc.integer({ min: 0, max: 65535 });
const intValue = (n: number) => ({ kind: 'int' as const, form: 'integer' as const, value: BigInt(n), mask: null, text: String(n) });
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c, d]) => {
  const text = `${a}.${b}.${c}.${d}`;
  return { kind: 'int' as const, form: 'ipv4' as const, value: BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d), mask: null, text };
});

const leaf: fc.Arbitrary<MatchExpr> = fc.oneof(
  fc.constantFrom<MatchExpr>({ type: 'symbol', name: 'ip' }, { type: 'symbol', name: 'ip4' }, { type: 'symbol', name: 'tcp' }, { type: 'symbol', name: 'udp' }),
  fc.record({
    type: fc.constant('compare' as const),
    field: fc.constantFrom('tcp.dst', 'udp.src', 'sctp.dst'),
    op: fc.constantFrom('==' as const, '!=' as const, '<' as const, '<=' as const, '>' as const, '>=' as const),
    values: port.map((n) => [intValue(n)]),
  }),
  fc.record({
    type: fc.constant('compare' as const),
    field: fc.constantFrom('ip4.src', 'ip4.dst'),
    op: fc.constantFrom('==' as const, '!=' as const),
    values: fc.array(ipv4, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('compare' as const),
    field: fc.constantFrom('inport', 'outport'),
    op: fc.constant('==' as const),
    values: fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9.-]{0,12}$/).map((v) => [{ kind: 'string' as const, value: v }]),
      fc.stringMatching(/^[a-z][a-z0-9_.]{0,12}$/).map((name) => [{ kind: 'portGroup' as const, name }]),
    ),
  }),
);

// `low <= tcp.dst <= high`: the parser's tree of the range form, which the printer writes back so.
const range: fc.Arbitrary<MatchExpr> = fc.tuple(port, port).map(([low, high]) => ({
  type: 'and',
  children: [
    { type: 'compare', field: 'tcp.dst', op: '>=', values: [intValue(low)] },
    { type: 'compare', field: 'tcp.dst', op: '<=', values: [intValue(high)] },
  ],
}));

const expr: fc.Arbitrary<MatchExpr> = fc.letrec<{ e: MatchExpr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    range,
    fc.record({ type: fc.constant('not' as const), child: tie('e') }),
    fc.record({ type: fc.constantFrom('and' as const, 'or' as const), children: fc.array(tie('e'), { minLength: 2, maxLength: 3 }) }),
  ),
})).e;

/** OVN's rules around `!`: nominal predicates positively only, nominal fields only equality. */
function validForOvn(e: MatchExpr, negated = false): boolean {
  switch (e.type) {
    case 'bool':
      return true;
    case 'not':
      return validForOvn(e.child, !negated);
    case 'and':
    case 'or':
      return e.children.every((c) => validForOvn(c, negated));
    case 'symbol':
      return !negated; // ip, ip4, tcp, udp are all nominal
    case 'compare':
      return e.field !== 'inport' && e.field !== 'outport' ? true : (e.op === '!=') === negated;
  }
}

describe('OVN match format/parse round trip', () => {
  it('parseMatch(formatMatchExpr(e)) is e', () => {
    fc.assert(
      fc.property(expr.filter((e) => validForOvn(e)), (e) => {
        expect(parseMatch(formatMatchExpr(e))).toEqual(e);
      }),
      { numRuns: 500 },
    );
  });
});
