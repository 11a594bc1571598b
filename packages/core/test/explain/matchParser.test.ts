import { describe, expect, it } from 'vitest';
import { formatMatchExpr, MatchSyntaxError, parseMatch } from '../../src/explain/index.js';

describe('OVN match parser', () => {
  it('reads the shapes ovn-nbgen and Kube-OVN emit into a tree', () => {
    expect(parseMatch('outport == @np.prod.web && ip && ip4.src == $np.prod.web.In0.Ip4 && 80 <= tcp.dst <= 90')).toEqual({
      type: 'and',
      children: [
        { type: 'compare', field: 'outport', op: '==', values: [{ kind: 'portGroup', name: 'np.prod.web' }] },
        { type: 'symbol', name: 'ip' },
        { type: 'compare', field: 'ip4.src', op: '==', values: [{ kind: 'addressSet', name: 'np.prod.web.In0.Ip4' }] },
        {
          type: 'and',
          children: [
            { type: 'compare', field: 'tcp.dst', op: '>=', values: [{ kind: 'int', form: 'integer', value: 80n, mask: null, text: '80' }] },
            { type: 'compare', field: 'tcp.dst', op: '<=', values: [{ kind: 'int', form: 'integer', value: 90n, mask: null, text: '90' }] },
          ],
        },
      ],
    });
  });

  it('reads CIDRs, IPv6, sets without commas, quoted port names and masks', () => {
    const e = parseMatch('inport == "web-0.prod" && ((ip4.dst == 0.0.0.0/0 && ip4.dst != {10.42.0.0/16 10.43.0.0/16}) || ip6.src == fd00::/48)');
    expect(formatMatchExpr(e)).toBe(
      'inport == "web-0.prod" && ((ip4.dst == 0.0.0.0/0 && ip4.dst != {10.42.0.0/16, 10.43.0.0/16}) || ip6.src == fd00::/48)',
    );
  });

  it.each([
    ['ip && tcp || udp', '&& and || must be parenthesized when used together'],
    ['!tcp.dst == 80', '! requires parentheses around a comparison'],
    ['tcp.dst', 'needs an explicit comparison'],
    ['!nd', 'nominal predicate nd may only be tested positively'],
    ['!tcp', 'nominal predicate tcp may only be tested positively'],
    ['ip4 && !(ip4.src == 10.0.0.0/8 && tcp)', 'nominal predicate tcp may only be tested positively'],
    ['ip.proto != 6', 'nominal field ip.proto may only be tested for equality'],
    ['!(ip.proto == 6)', 'nominal field ip.proto may only be tested for equality'],
    ['inport != "a.x"', 'nominal field inport may only be tested for equality'],
    ['ip4.dst == {}', 'a set needs at least one constant'],
    ['ip4.src == fd00::1', 'IPv6 constant fd00::1 compared with ip4.src'],
    ['tcp.dst == 70000', 'does not fit the 16-bit field'],
    ['ip.proto < 6', 'nominal field'],
    ['foo.bar == 1', 'unknown field foo.bar'],
    ['inport == 5', 'needs a quoted port name'],
    ['(ip4 && tcp', 'expected ")"'],
    ['tcp.dst == {80, 443', 'expected a value or "}"'],
    ['ip4.src == $', 'expected a name after "$"'],
    ['inport == "unterminated', 'unterminated quoted string'],
    ['reg0[7] == 1', 'subfield syntax'],
  ])('rejects %s with a clear error', (text, detail) => {
    expect(() => parseMatch(text)).toThrow(MatchSyntaxError);
    expect(() => parseMatch(text)).toThrow(detail);
  });

  it('accepts what OVN accepts around negation and prefixes', () => {
    expect(() => parseMatch('!(inport != "a.x")')).not.toThrow();
    expect(() => parseMatch('!(tcp.dst == 80) && !(ip4.mcast) && !(ct.new)')).not.toThrow();
    expect(parseMatch('tcp.dst == 0x51/0xf0')).toMatchObject({ values: [{ value: 0x50n, mask: 0xf0n }] });
    // A prefix with host bits is accepted by OVN and compared under the mask.
    expect(parseMatch('ip4.src == 10.0.0.1/24')).toMatchObject({ values: [{ value: 0x0a000000n, mask: 0xffffff00n }] });
  });

  it('names the column of the error', () => {
    expect(() => parseMatch('ip4 && tcp.dst == 80 &&')).toThrow('expected a condition but found end of match at column 24');
  });

  it('round-trips through formatMatchExpr', () => {
    const text = 'inport == @pg && (ip4.dst == 10.0.0.0/8 || ip6.dst == fd00::/64) && tcp.dst == {80, 443}';
    expect(formatMatchExpr(parseMatch(text))).toBe(text);
  });
});
