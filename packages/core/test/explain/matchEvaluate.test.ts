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

// Each group: matches, each with the verdict on the packet (tcp80 unless named).
const GROUPS: Readonly<Record<string, readonly (readonly [string, boolean, Packet?])[]>> = {
  'compares ports, ranges and sets': [
    ['tcp.dst == 80', true],
    ['tcp.dst == {443, 80}', true],
    ['tcp.dst != {443, 80}', false],
    ['81 <= tcp.dst <= 90', false],
    ['80 <= tcp.dst <= 90', true],
    ['tcp.dst > 79 && tcp.dst < 81', true],
  ],
  'adds prerequisites positively, even under negation (UDP matches neither tcp.dst test)': [
    ['tcp.dst == 80', false, udp80],
    ['!(tcp.dst == 80)', false, udp80],
    ['tcp.dst != 80', false, udp80],
    ['!(tcp.dst > 79)', false, udp80],
    ['ip4.src != 1.2.3.4', false, v6],
  ],
  'resolves address sets and port groups; entries of the other family never match': [
    ['ip4.dst == $web', true],
    ['ip4.src == $web', false],
    ['ip4.dst == $empty', false],
    ['ip4 && ip4.dst != $empty', true],
    ['ip4.dst == $mixed', false],
    ['inport == @pg', true],
    ['outport == @pg', false],
  ],
  'matches CIDRs by prefix and protocols by predicate': [
    ['ip4.dst == 10.16.0.0/16 && ip', true],
    ['ip4.dst == 10.17.0.0/16', false],
    ['ip6.dst == fd00::/64', true, v6],
    ['ip4', false, v6],
    ['icmp || udp || sctp', false],
    ['(tcp || udp || sctp) && 1', true],
    ['0', false],
  ],
};

describe('OVN match evaluation', () => {
  for (const [name, cases] of Object.entries(GROUPS)) {
    it(name, () => {
      expect(cases.map(([m, , packet]) => `${m}: ${matches(m, packet)}`)).toEqual(cases.map(([m, verdict]) => `${m}: ${verdict}`));
    });
  }

  it('treats a reference to a missing set as an error (OVN installs no flow for that row)', () => {
    expect(() => matches('ip4.dst == $nope')).toThrow('address set $nope does not exist');
    expect(() => matches('inport == @nope')).toThrow('port group @nope does not exist');
  });
});
