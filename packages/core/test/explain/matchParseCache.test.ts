import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MatchParseCache, parseMatch } from '../../src/explain/match/parser.js';
import { MatchSyntaxError } from '../../src/explain/match/lexer.js';

// buildAclProgram parses a compile's thousands of matches through MatchParseCache, which parses
// each shape (the match without its reference names) once. Whatever the order the matches come
// in, each must get exactly parseMatch's tree, or parseMatch's error for its own text.

const outcome = (parse: () => unknown): unknown => {
  try {
    return { tree: parse() };
  } catch (e) {
    if (!(e instanceof MatchSyntaxError)) throw e;
    return { error: e.message };
  }
};

const name = fc.constantFrom('pg', 'np.prod.web', 'a_1', 'x.y.Ip4', '_', 'B');
// Pieces that parse, and pieces that do not (a sigil without a name, a name after a digit, a
// reference where a port name is due, quoted text holding a sigil, comments).
const atom: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('ip', 'ip4', 'tcp', 'udp', 'tcp.dst == 80', '80 <= tcp.dst <= 90', 'ip4.src == 10.0.0.0/8', 'ip6.dst == fd00::/64', '1'),
  name.map((n) => `ip4.src == $${n}`),
  name.map((n) => `ip6.dst != $${n}`),
  name.map((n) => `outport == @${n}`),
  name.map((n) => `inport == {"a.b", @${n}}`),
  name.map((n) => `ip4.dst == {$${n}, 10.1.0.0/16}`),
  name.map((n) => `tcp.dst == $${n}`),
  name.map((n) => `inport == $${n}`),
  name.map((n) => `ip4.src == @${n}`),
  name.map((n) => `inport == "$${n}"`),
  fc.constantFrom('ip4.src == $', 'ip4.src == $1', 'outport == @', 'inport == @ pg', 'ip4.src == 10$a', 'tcp.dst == 99999', 'tcp.dst'),
);
const matchText: fc.Arbitrary<string> = fc
  .tuple(fc.array(atom, { minLength: 1, maxLength: 4 }), fc.constantFrom(' && ', ' || ', '&&'), fc.constantFrom('', ' // $c @d', '\t'))
  .map(([atoms, op, tail]) => atoms.join(op) + tail);

describe('MatchParseCache', () => {
  it('gives parseMatch tree or error for every match, with shapes shared across matches', () => {
    fc.assert(
      fc.property(fc.array(matchText, { minLength: 1, maxLength: 30 }), (texts) => {
        const cache = new MatchParseCache();
        for (const text of texts) expect(outcome(() => cache.parse(text))).toEqual(outcome(() => parseMatch(text)));
      }),
      { numRuns: 400 },
    );
  });

  it('copies each match its own names, and reports an error in its own text and columns', () => {
    const cache = new MatchParseCache();
    const a = cache.parse('outport == @np.a && ip4.src == $np.a.In0.Ip4 && tcp.dst == 80');
    const b = cache.parse('outport == @np.longer.name && ip4.src == $s && tcp.dst == 80');
    expect(a).toEqual(parseMatch('outport == @np.a && ip4.src == $np.a.In0.Ip4 && tcp.dst == 80'));
    expect(b).toEqual(parseMatch('outport == @np.longer.name && ip4.src == $s && tcp.dst == 80'));
    // A shape that does not parse, met twice: each error names its own match.
    expect(() => cache.parse('inport == @a && tcp.dst == $x')).toThrow('at column 28 of match "inport == @a && tcp.dst == $x"');
    expect(() => cache.parse('inport == @abc && tcp.dst == $y')).toThrow(
      'address set $y can only be compared with an address field, not tcp.dst at column 30 of match "inport == @abc && tcp.dst == $y"',
    );
  });

  it('does not take a sigil without a name for a reference of the same shape', () => {
    const cache = new MatchParseCache();
    cache.parse('ip4.src == $x');
    expect(() => cache.parse('ip4.src == $')).toThrow(MatchSyntaxError);
  });
});
