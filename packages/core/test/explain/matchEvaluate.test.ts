import { describe, expect, it } from 'vitest';
import { evaluateMatch, parseAddressSetEntries, parseMatch, type MatchEnvironment, type MatchPacket as Packet } from '../../src/explain/index.js';
import { parseIp } from '../../src/net/ip.js';

const ip = (t: string): bigint => parseIp(t)!.value;
const env: MatchEnvironment = {
  addressSet: (n) =>
    ({ web: parseAddressSetEntries(['10.16.0.5', '10.17.0.0/16']), empty: [], mixed: parseAddressSetEntries(['::/0']) })[n],
  portGroup: (n) => ({ pg: new Set(['client.prod']) })[n],
};
const tcp80: Packet = { inport: 'client.prod', outport: '', family: 4, src: ip('10.16.0.9'), dst: ip('10.16.0.5'), protocol: 'tcp', srcPort: 40000, dstPort: 80 };
const udp80: Packet = { ...tcp80, protocol: 'udp' };
const v6: Packet = { ...tcp80, family: 6, src: ip('fd00::9'), dst: ip('fd00::5') };
const matches = (m: string, p: Packet = tcp80): boolean => evaluateMatch(parseMatch(m), p, env);

describe('OVN match evaluation', () => {
  it('compares ports, ranges and sets', () => {
    expect(matches('tcp.dst == 80')).toBe(true);
    expect(matches('tcp.dst == {443, 80}')).toBe(true);
    expect(matches('tcp.dst != {443, 80}')).toBe(false);
    expect(matches('81 <= tcp.dst <= 90')).toBe(false);
    expect(matches('80 <= tcp.dst <= 90')).toBe(true);
    expect(matches('tcp.dst > 79 && tcp.dst < 81')).toBe(true);
  });

  it('adds prerequisites positively, even under negation (UDP matches neither tcp.dst test)', () => {
    expect(matches('tcp.dst == 80', udp80)).toBe(false);
    expect(matches('!(tcp.dst == 80)', udp80)).toBe(false);
    expect(matches('tcp.dst != 80', udp80)).toBe(false);
    expect(matches('!(tcp.dst > 79)', udp80)).toBe(false);
    expect(matches('ip4.src != 1.2.3.4', v6)).toBe(false);
  });

  it('resolves address sets and port groups; entries of the other family never match', () => {
    expect(matches('ip4.dst == $web')).toBe(true);
    expect(matches('ip4.src == $web')).toBe(false);
    expect(matches('ip4.dst == $empty')).toBe(false);
    expect(matches('ip4 && ip4.dst != $empty')).toBe(true);
    expect(matches('ip4.dst == $mixed')).toBe(false);
    expect(matches('inport == @pg')).toBe(true);
    expect(matches('outport == @pg')).toBe(false);
  });

  it('matches CIDRs by prefix and protocols by predicate', () => {
    expect(matches('ip4.dst == 10.16.0.0/16 && ip')).toBe(true);
    expect(matches('ip4.dst == 10.17.0.0/16')).toBe(false);
    expect(matches('ip6.dst == fd00::/64', v6)).toBe(true);
    expect(matches('ip4', v6)).toBe(false);
    expect(matches('icmp || udp || sctp')).toBe(false);
    expect(matches('(tcp || udp || sctp) && 1')).toBe(true);
    expect(matches('0')).toBe(false);
  });

  it('treats a reference to a missing set as an error (OVN installs no flow for that row)', () => {
    expect(() => matches('ip4.dst == $nope')).toThrow('address set $nope does not exist');
    expect(() => matches('inport == @nope')).toThrow('port group @nope does not exist');
  });
});
