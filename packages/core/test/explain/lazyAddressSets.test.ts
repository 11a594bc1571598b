import { describe, expect, it } from 'vitest';
import { compileMatch } from '../../src/explain/match/compile.js';
import { evaluateMatch, MatchReferenceError, parseAddressSetEntries, parseMatch, type MatchEnvironment, type MatchPacket as Packet } from '../../src/explain/index.js';
import { parseIp } from '../../src/net/ip.js';

// A compiled match looks up an address set when a packet first reaches the comparison, not when
// the row is compiled (judge6: an `ip6.src == $set` row tested for IPv4 flows parses no set). It
// must still answer what the interpreter answers and throw the same error at the same point, and
// each comparison must keep reading its own set.

const sets: Record<string, readonly string[]> = { v6: ['fd00::1', 'fd00::/120'], a: ['10.0.0.1', '10.0.1.0/24'], b: ['10.0.0.2'], bad: ['not an address'] };

function countingEnv(): { env: MatchEnvironment; asked: string[] } {
  const asked: string[] = [];
  const env: MatchEnvironment = {
    addressSet: (name) => {
      asked.push(name);
      const addresses = sets[name];
      return addresses === undefined ? undefined : parseAddressSetEntries(addresses);
    },
    portGroup: () => undefined,
  };
  return { env, asked };
}

const packet = (src: string, dstPort = 80): Packet => {
  const ip = parseIp(src)!;
  return { inport: 'p', outport: 'q', family: ip.family, protocol: 'tcp', src: ip.value, dst: ip.value, srcPort: 40000, dstPort };
};

const outcome = (f: () => boolean): string => {
  try {
    return String(f());
  } catch (error) {
    if (!(error instanceof MatchReferenceError)) throw error;
    return `error: ${error.message}`;
  }
};

describe('address sets in compiled matches', () => {
  it('are looked up when a packet reaches them, once', () => {
    const { env, asked } = countingEnv();
    const test = compileMatch(parseMatch('ip6.src == $v6 && tcp.dst == 80'), env);
    expect(asked).toEqual([]);
    for (const src of ['10.0.0.1', '10.0.0.2']) expect(test(packet(src))).toBe(false);
    expect(asked).toEqual([]);
    expect(test(packet('fd00::1'))).toBe(true);
    expect(test(packet('fd00::9'))).toBe(true);
    expect(test(packet('fd01::1'))).toBe(false);
    expect(asked).toEqual(['v6']);
  });

  it('answer and throw as the interpreter, each comparison on its own set', () => {
    const matches = [
      'ip4.src == $a || ip4.src == $b',
      'ip4.src == $b || ip4.src == $a',
      'ip4.src != $a && ip4.src == $b',
      'tcp.dst == 443 && ip4.src == $missing',
      'ip4.src == $a && ip4.src == $missing',
      'ip4.src == $missing || ip4.src == $a',
      'ip4.src == $bad || tcp.dst == 80',
      'ip6.src == $missing',
    ];
    const packets = ['10.0.0.1', '10.0.0.2', '10.0.1.7', '10.9.9.9', 'fd00::1'].flatMap((src) => [packet(src), packet(src, 443)]);
    for (const text of matches) {
      const { env } = countingEnv();
      const tree = parseMatch(text);
      const test = compileMatch(tree, env);
      for (const p of packets) expect([text, outcome(() => test(p))]).toEqual([text, outcome(() => evaluateMatch(tree, p, env))]);
    }
  });
});
