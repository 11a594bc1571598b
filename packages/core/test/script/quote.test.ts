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
