import { describe, expect, it } from 'vitest';
import { parseMatch } from '../../src/explain/index.js';
import { address, addressSetRef, and, equalsAny, equalsNone, formatMatchExpr, integer, not, or, portGroupRef, quoted, range, symbol } from '../../src/match/index.js';

// The one spelling of every ACL match: parentheses by precedence, `{a, b}` sets, `!(...)`, and
// ranges as ovn-sb(5) documents them. Whatever the builders make, explain parses back unchanged.
describe('match trees → OVN match text', () => {
  const subject = equalsAny('outport', [portGroupRef('np.prod.web')]);
  const cases: [string, ReturnType<typeof and>, string][] = [
    ['a range is one comparison', and([subject, symbol('ip'), range('sctp.dst', 3868, 3870)]), 'outport == @np.prod.web && ip && 3868 <= sctp.dst <= 3870'],
    ['a one-value range is an equality', and([subject, range('tcp.dst', 80, 80)]), 'outport == @np.prod.web && tcp.dst == 80'],
    ['a range needs no parentheses under ||', or([equalsAny('tcp.dst', [integer(53)]), range('tcp.dst', 8000, 8999)]), 'tcp.dst == 53 || 8000 <= tcp.dst <= 8999'],
    ['a negated range', not(range('tcp.dst', 81, 90)), '!(81 <= tcp.dst <= 90)'],
    [
      'a disjunction inside a conjunction is parenthesized, and its conjuncts too',
      and([
        subject,
        or([
          equalsAny('ip4.src', [addressSetRef('a'), address('10.0.0.0/8')]),
          and([equalsAny('ip4.src', [address('172.16.0.0/12')]), equalsNone('ip4.src', [address('172.16.1.0/24'), address('172.16.2.1')])]),
        ]),
      ]),
      'outport == @np.prod.web && (ip4.src == {$a, 10.0.0.0/8} || (ip4.src == 172.16.0.0/12 && ip4.src != {172.16.1.0/24, 172.16.2.1}))',
    ],
    ['same operators flatten', and([subject, and([symbol('ip4'), symbol('tcp')]), or([symbol('ip4')])]), 'outport == @np.prod.web && ip4 && tcp && ip4'],
    ['ports by name are quoted', equalsAny('outport', [quoted('a.prod'), quoted('b.prod')]), 'outport == {"a.prod", "b.prod"}'],
    ['a negated disjunction', not(or([equalsAny('ip6.src', [address('fd00::/64')]), equalsAny('ip6.dst', [addressSetRef('b')])])), '!(ip6.src == fd00::/64 || ip6.dst == $b)'],
  ];
  for (const [name, tree, text] of cases) {
    it(`${name}: ${text}`, () => {
      expect(formatMatchExpr(tree)).toBe(text);
      expect(parseMatch(text)).toEqual(tree);
    });
  }
});
