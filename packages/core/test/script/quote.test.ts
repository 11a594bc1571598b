import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScriptValueError } from '../../src/index.js';
import { ovsdbMap, ovsdbString, shellWord } from '../../src/subpaths/script.js';

describe('shellWord', () => {
  it('leaves plain words bare', () => {
    expect(shellWord('priority=1001')).toBe('priority=1001');
    expect(shellWord('np.shop.web')).toBe('np.shop.web');
  });

  it('single-quotes anything a shell would expand or split', () => {
    expect(shellWord('')).toBe("''");
    expect(shellWord('a b')).toBe("'a b'");
    expect(shellWord('$(id)')).toBe("'$(id)'");
    expect(shellWord('`id`')).toBe("'`id`'");
    expect(shellWord('{a,b}')).toBe("'{a,b}'");
    expect(shellWord('*')).toBe("'*'");
    expect(shellWord('~root')).toBe("'~root'");
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(shellWord('a\nb')).toBe("'a\nb'");
  });

  it('refuses a NUL, which argv would cut the value at', () => {
    expect(() => shellWord('a\u0000b')).toThrow(ScriptValueError);
  });
});

describe('ovsdb values', () => {
  it('writes strings as JSON strings', () => {
    expect(ovsdbString('10.0.0.1')).toBe('"10.0.0.1"');
    expect(ovsdbString('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
  });

  it('refuses a lone surrogate (not encodable as UTF-8)', () => {
    expect(() => ovsdbString('x\uD800')).toThrow(ScriptValueError);
    expect(ovsdbString('\uD83D\uDE00')).toBe('"\uD83D\uDE00"');
  });

  it('writes maps with sorted keys', () => {
    expect(ovsdbMap({ b: '2', a: '1' })).toBe('{"a"="1","b"="2"}');
    expect(ovsdbMap({})).toBe('{}');
  });
});

// shellWord and ovsdbString answer most values from one regex test (a plain word, a word that needs
// only single quotes, a string JSON writes as it is); the general path below is what they did
// before, kept here as the specification.
describe('the shortcuts of shellWord and ovsdbString agree with the general path', () => {
  const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;
  const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const writable = (text: string): void => {
    if (text.includes('\u0000')) throw new ScriptValueError(`value contains a NUL character: ${JSON.stringify(text)}`);
    if (LONE.test(text)) throw new ScriptValueError(`value is not valid Unicode: ${JSON.stringify(text)}`);
  };
  const generalShellWord = (text: string): string => {
    writable(text);
    return PLAIN.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
  };
  const generalOvsdbString = (text: string): string => {
    writable(text);
    return JSON.stringify(text);
  };
  const outcome = (write: (text: string) => string, text: string): string => {
    try {
      return `ok ${write(text)}`;
    } catch (error) {
      if (!(error instanceof ScriptValueError)) throw error;
      return `refused ${error.message}`;
    }
  };
  // Pieces that each shortcut must notice, mixed with arbitrary text.
  const piece = fc.oneof(
    fc.constantFrom("'", '"', '\\', '\u0000', '\u0001', '\u001f', '\u007f', '\n', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D\uDE00', '\u2028', 'é', ' ', '$', '-', 'a', '.', '@', '='),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.string({ maxLength: 6 }),
  );
  const text = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''));

  it('shellWord', () => {
    fc.assert(fc.property(text, (t) => {
      expect(outcome(shellWord, t)).toBe(outcome(generalShellWord, t));
    }), { numRuns: 5000 });
  });

  it('ovsdbString', () => {
    fc.assert(fc.property(text, (t) => {
      expect(outcome(ovsdbString, t)).toBe(outcome(generalOvsdbString, t));
    }), { numRuns: 5000 });
  });

  it('a shell word of an ovsdb string', () => {
    const general = (t: string): string => generalShellWord(generalOvsdbString(t));
    fc.assert(fc.property(text, (t) => {
      expect(outcome((v) => shellWord(ovsdbString(v)), t)).toBe(outcome(general, t));
    }), { numRuns: 5000 });
  });
});
