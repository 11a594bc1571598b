/**
 * The OVN match symbols explain understands, after ovn-sb(5) "Symbols" and OVN's logical-fields
 * table: fields with a type, width and prerequisite, and predicates defined by expansion.
 * Prerequisites are what OVN adds implicitly: `tcp.dst == 80` means `tcp && tcp.dst == 80`, and
 * because OVN pushes `!` down to the comparisons before adding prerequisites, `!(tcp.dst == 80)`
 * means `tcp && tcp.dst != 80` (a UDP packet matches neither).
 */
export type FieldType = 'integer' | 'ipv4' | 'ipv6' | 'mac' | 'string';

export interface FieldSymbol {
  readonly kind: 'field';
  readonly type: FieldType;
  readonly width: number;
  /**
   * Ordinal fields (maskable in OpenFlow) allow `<`, `<=`, `>`, `>=` and negation; nominal ones
   * only a positive `==` (ovn-sb(5); checked against ovn-trace: `!(icmp6.type == 135)` and so `!nd`
   * are rejected by OVN, `!(tcp.dst == 80)` is not).
   */
  readonly ordinal: boolean;
  /** Expression that must hold for the field to exist, e.g. `tcp` for `tcp.dst`. */
  readonly prerequisite: string | null;
}

export interface PredicateSymbol {
  readonly kind: 'predicate';
  readonly expansion: string;
}

export type MatchSymbol = FieldSymbol | PredicateSymbol;

const field = (type: FieldType, width: number, ordinal: boolean, prerequisite: string | null): FieldSymbol => ({
  kind: 'field',
  type,
  width,
  ordinal,
  prerequisite,
});
const predicate = (expansion: string): PredicateSymbol => ({ kind: 'predicate', expansion });

export const MATCH_SYMBOLS: Readonly<Record<string, MatchSymbol>> = {
  inport: field('string', 0, false, null),
  outport: field('string', 0, false, null),
  'eth.src': field('mac', 48, true, null),
  'eth.dst': field('mac', 48, true, null),
  'eth.type': field('integer', 16, false, null),
  'ip.proto': field('integer', 8, false, 'ip'),
  'ip.ttl': field('integer', 8, false, 'ip'),
  'ip4.src': field('ipv4', 32, true, 'ip4'),
  'ip4.dst': field('ipv4', 32, true, 'ip4'),
  'ip6.src': field('ipv6', 128, true, 'ip6'),
  'ip6.dst': field('ipv6', 128, true, 'ip6'),
  'tcp.src': field('integer', 16, true, 'tcp'),
  'tcp.dst': field('integer', 16, true, 'tcp'),
  'udp.src': field('integer', 16, true, 'udp'),
  'udp.dst': field('integer', 16, true, 'udp'),
  'sctp.src': field('integer', 16, true, 'sctp'),
  'sctp.dst': field('integer', 16, true, 'sctp'),
  'icmp4.type': field('integer', 8, false, 'icmp4'),
  'icmp4.code': field('integer', 8, false, 'icmp4'),
  'icmp6.type': field('integer', 8, false, 'icmp6'),
  'icmp6.code': field('integer', 8, false, 'icmp6'),
  'arp.op': field('integer', 16, false, 'arp'),
  'arp.spa': field('ipv4', 32, true, 'arp'),
  'arp.tpa': field('ipv4', 32, true, 'arp'),
  'nd.target': field('ipv6', 128, true, 'nd'),
  // Connection-tracking bits; explain always judges the first packet of a new connection.
  'ct.trk': field('integer', 1, true, null),
  'ct.new': field('integer', 1, true, 'ct.trk'),
  'ct.est': field('integer', 1, true, 'ct.trk'),
  'ct.rel': field('integer', 1, true, 'ct.trk'),
  'ct.rpl': field('integer', 1, true, 'ct.trk'),
  'ct.inv': field('integer', 1, true, 'ct.trk'),
  ip4: predicate('eth.type == 0x800'),
  ip6: predicate('eth.type == 0x86dd'),
  ip: predicate('ip4 || ip6'),
  tcp: predicate('ip.proto == 6'),
  udp: predicate('ip.proto == 17'),
  sctp: predicate('ip.proto == 132'),
  icmp4: predicate('ip4 && ip.proto == 1'),
  icmp6: predicate('ip6 && ip.proto == 58'),
  icmp: predicate('icmp4 || icmp6'),
  igmp: predicate('ip4 && ip.proto == 2'),
  arp: predicate('eth.type == 0x806'),
  rarp: predicate('eth.type == 0x8035'),
  nd: predicate('icmp6.type == {135, 136} && icmp6.code == 0 && ip.ttl == 255'),
  nd_ns: predicate('icmp6.type == 135 && icmp6.code == 0 && ip.ttl == 255'),
  nd_na: predicate('icmp6.type == 136 && icmp6.code == 0 && ip.ttl == 255'),
  nd_rs: predicate('icmp6.type == 133 && icmp6.code == 0 && ip.ttl == 255'),
  nd_ra: predicate('icmp6.type == 134 && icmp6.code == 0 && ip.ttl == 255'),
  mldv1: predicate('ip6.src == fe80::/10 && icmp6.type == {130, 131, 132}'),
  mldv2: predicate('ip6.src == fe80::/10 && icmp6.type == 143'),
  'ip4.mcast': predicate('ip4.dst == 224.0.0.0/4'),
};

export function lookupSymbol(name: string): MatchSymbol | undefined {
  return Object.hasOwn(MATCH_SYMBOLS, name) ? MATCH_SYMBOLS[name] : undefined;
}

/**
 * A predicate is nominal when its expansion tests a nominal field or predicate (ovn-sb(5) "Level
 * of Measurement"): `ip4` (eth.type), `tcp` (ip.proto). OVN lets those be tested only positively.
 */
export function isNominalPredicate(name: string): boolean {
  const sym = lookupSymbol(name);
  if (!sym || sym.kind !== 'predicate') return false;
  const words = sym.expansion.match(/[A-Za-z_][A-Za-z0-9_.]*/g) ?? [];
  return words.some((w) => {
    const ref = lookupSymbol(w);
    if (!ref) return false;
    return ref.kind === 'field' ? !ref.ordinal : isNominalPredicate(w);
  });
}
