import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { limitLength, ovnName, stableHash } from '../../src/naming/ovnName.js';

const OVN_NAME = /^[a-zA-Z_.][a-zA-Z_.0-9]*$/;

describe('ovnName', () => {
  it('keeps Kubernetes names readable: dashes become underscores, dots stay', () => {
    expect(ovnName('np', ['prod', 'allow-web'])).toBe('np.prod.allow_web');
    expect(ovnName('np', ['prod', 'allow-web'], ['In0', 'Ip4'])).toBe('np.prod.allow_web.In0.Ip4');
  });

  it('does not collide where Kube-OVN does (a-b vs a.b, and namespace/name splits)', () => {
    const names = [
      ovnName('np', ['b-c', 'a']),
      ovnName('np', ['b', 'c.a']),
      ovnName('np', ['b', 'c-a']),
      ovnName('np', ['ns', 'a-b']),
      ovnName('np', ['ns', 'a.b']),
    ];
    expect(new Set(names).size).toBe(names.length);
  });

  it('is injective on (namespace, name, suffix) for generated Kubernetes names', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
    const subdomain = fc.array(label, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
    const suffix = fc.constantFrom([], ['In0'], ['In0', 'Ip4'], ['Eg1', 'Ip6']);
    fc.assert(
      fc.property(label, subdomain, suffix, label, subdomain, suffix, (ns1, n1, s1, ns2, n2, s2) => {
        const same = ns1 === ns2 && n1 === n2 && s1.join('.') === s2.join('.');
        const a = ovnName('np', [ns1, n1], s1);
        const b = ovnName('np', [ns2, n2], s2);
        expect(a).toMatch(OVN_NAME);
        expect(a === b).toBe(same);
      }),
      { seed: 20261123, numRuns: 2000 },
    );
  });

  it('refuses unvalidated name parts rather than producing an invalid OVN name', () => {
    expect(() => ovnName('np', ['Prod', 'x'])).toThrow(/not a validated Kubernetes name/);
    expect(() => ovnName('np', ['prod', 'x'], ['lower'])).toThrow(/bad name suffix/);
  });

  it('shortens overlong names with a hash of the full name, never by bare truncation', () => {
    const long = 'a'.repeat(300);
    const x = limitLength(`${long}x`, 240);
    const y = limitLength(`${long}y`, 240);
    expect(x).toHaveLength(240);
    expect(x).not.toBe(y);
    expect(x).toMatch(OVN_NAME);
    expect(limitLength('short', 240)).toBe('short');
  });

  it('hashes deterministically', () => {
    expect(stableHash('np.prod.web')).toBe(stableHash('np.prod.web'));
    expect(stableHash('a')).not.toBe(stableHash('b'));
    expect(stableHash('anything')).toMatch(/^[0-9a-v]{13}$/);
  });
});

describe('stableHash', () => {
  // The reference definition: 64-bit FNV-1a over UTF-16 code units, written with BigInt. The fast
  // implementation must give the same names, or every generated address-set name would change.
  function referenceFnv1a64(text: string): string {
    let h = 0xcbf29ce484222325n;
    for (let i = 0; i < text.length; i++) {
      h ^= BigInt(text.charCodeAt(i));
      h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
    }
    return h.toString(32).padStart(13, '0');
  }

  it('equals the BigInt FNV-1a 64 definition on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(stableHash(text)).toBe(referenceFnv1a64(text));
      }),
      { seed: 42, numRuns: 3000 },
    );
    expect(stableHash('')).toBe(referenceFnv1a64(''));
  });
});
