import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canonicalIp,
  cidrContainsCidr,
  cidrContainsIp,
  formatCidr,
  formatIp,
  parseCidr,
  parseIp,
} from '../../src/net/ip.js';

describe('IP addresses', () => {
  it('canonicalizes IPv6 the RFC 5952 way', () => {
    expect(canonicalIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIp('fd00:0:0:1:0:0:0:0')).toBe('fd00:0:0:1::');
    expect(canonicalIp('::ffff:10.0.0.1')).toBe('::ffff:a00:1');
    expect(canonicalIp('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalIp('::')).toBe('::');
  });

  it('rejects malformed addresses', () => {
    for (const bad of ['10.0.0', '10.0.0.256', '01.2.3.4', '1.2.3.04', '1.2.3.1000', '1.2.3.4.', '.1.2.3', '1..2.3', '1.2.3.4a', ' 1.2.3.4', '1:2:3:4:5:6:7:8:9', '1::2::3', 'fe80::g', '']) {
      expect(parseIp(bad), bad).toBeNull();
    }
  });

  it('round-trips every IPv4 and IPv6 value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), (value) => {
        expect(parseIp(formatIp({ family: 4, value }))).toEqual({ family: 4, value });
      }),
      { seed: 7 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (value) => {
        expect(parseIp(formatIp({ family: 6, value }))).toEqual({ family: 6, value });
      }),
      { seed: 7 },
    );
  });
});

describe('CIDRs', () => {
  it('normalizes host bits and reports that it did', () => {
    const c = parseCidr('10.0.0.1/24')!;
    expect(formatCidr(c)).toBe('10.0.0.0/24');
    expect(c.hadHostBits).toBe(true);
    expect(parseCidr('10.0.0.0/24')!.hadHostBits).toBe(false);
    expect(formatCidr(parseCidr('fd00::1/64')!)).toBe('fd00::/64');
  });

  it('rejects bad prefixes', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/-1', 'fd00::/129', '10.0.0.0/', '10.0.0.0/08']) {
      expect(parseCidr(bad), bad).toBeNull();
    }
  });

  it('answers containment per family', () => {
    const net = parseCidr('10.0.0.0/8')!;
    expect(cidrContainsIp(net, parseIp('10.255.0.1')!)).toBe(true);
    expect(cidrContainsIp(net, parseIp('11.0.0.1')!)).toBe(false);
    expect(cidrContainsIp(net, parseIp('::a00:1')!)).toBe(false);
    expect(cidrContainsCidr(net, parseCidr('10.1.0.0/16')!)).toBe(true);
    expect(cidrContainsCidr(parseCidr('10.1.0.0/16')!, net)).toBe(false);
    expect(cidrContainsCidr(parseCidr('0.0.0.0/0')!, net)).toBe(true);
  });
});

describe('IPv4 text', () => {
  // The byte-by-byte reading IPv4 text had before its one-regex fast path: the two must agree.
  const byBytes = (text: string): string | null => {
    const parts = text.split('.');
    if (parts.length !== 4) return null;
    for (const p of parts) if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return null;
    return parts.join('.');
  };
  const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '01', '007', '255', '256', '', 'a', '1e2', ' 1'));
  const quads = fc.array(octet, { minLength: 3, maxLength: 5 }).map((parts) => parts.join('.'));

  it('is read as dotted decimal bytes without leading zeros, and is its own canonical form', () => {
    fc.assert(
      fc.property(quads, (text) => {
        const expected = byBytes(text);
        expect(canonicalIp(text)).toBe(expected);
        const ip = parseIp(text);
        expect(ip === null ? null : formatIp(ip)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
