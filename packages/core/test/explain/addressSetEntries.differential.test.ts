import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MatchReferenceError, parseAddressSetEntries } from '../../src/explain/match/evaluate.js';
import { parseConstant } from '../../src/explain/match/parser.js';

// parseAddressSetEntries reads a bare address with parseIp alone, without parseConstant's integer,
// hex and MAC patterns first. The entry (or the error) must be parseConstant's for any text.

function throughParseConstant(text: string): unknown {
  const c = parseConstant(text);
  return typeof c === 'string' ? `address set entry ${text}: ${c}` : { value: c.value, mask: c.mask, form: c.form };
}

function entryOf(text: string): unknown {
  try {
    return parseAddressSetEntries([text])[0];
  } catch (e) {
    if (!(e instanceof MatchReferenceError)) throw e;
    return e.message;
  }
}

const hex = fc.constantFrom(...'0123456789abcdefABCDEF');
const pieces = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV4Extended(),
  fc.nat({ max: 70000 }).map(String),
  fc.array(hex, { minLength: 1, maxLength: 10 }).map((h) => `0x${h.join('')}`),
  fc.array(fc.array(hex, { minLength: 2, maxLength: 2 }).map((h) => h.join('')), { minLength: 1, maxLength: 8 }).map((g) => g.join(':')),
  fc.constantFrom('', '::', '1.2.3', '1.2.3.4.5', '01.2.3.4', '256.1.1.1', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '::ffff:1.2.3.4', 'a', ' 1.2.3.4'),
);
const texts = fc.oneof(pieces, fc.tuple(pieces, fc.oneof(fc.nat({ max: 130 }).map(String), pieces)).map(([a, m]) => `${a}/${m}`), fc.string());

describe('parseAddressSetEntries', () => {
  it('reads every entry as parseConstant does (bare addresses through parseIp alone)', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(entryOf(text)).toEqual(throughParseConstant(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads integers, hex and MAC constants as such, not as addresses', () => {
    for (const text of ['80', '0x1f', '0a:00:00:00:00:01', '10.0.0.1', 'fd00::1', '10.0.0.0/8']) expect(entryOf(text)).toEqual(throughParseConstant(text));
    expect(entryOf('0a:00:00:00:00:01')).toEqual({ value: 0x0a0000000001n, mask: null, form: 'mac' });
  });
});
