/**
 * IPv4/IPv6 addresses and CIDRs without node:net (core does no I/O and imports no node:*).
 * Addresses are held as bigint so containment and masking are plain arithmetic.
 */
export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

export interface Cidr {
  readonly family: IpFamily;
  /** Network address (host bits cleared). */
  readonly network: bigint;
  readonly prefix: number;
  /** True when the written form had host bits set (e.g. 10.0.0.1/24). */
  readonly hadHostBits: boolean;
}

const bitsOf = (family: IpFamily): number => (family === 4 ? 32 : 128);

export function parseIp(text: string): IpAddress | null {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/**
 * Four dot-separated decimal parts, each `0` or 1-3 digits without a leading zero, at most 255.
 * Scanned by character code: explain and the compiler read every pod address many times.
 */
function parseIpv4(text: string): IpAddress | null {
  const value = ipv4Value(text);
  return value === null ? null : { family: 4, value: BigInt(value) };
}

/** The value of an IPv4 address as parseIpv4 reads it, as a number (no bigint, no object), or null. */
function ipv4Value(text: string): number | null {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; // a final '.' ends the last part
    if (c === 46) {
      if (digits === 0 || part > 255 || ++parts > 4) return null;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 3 || (digits === 1 && part === 0)) return null; // a 4th digit, or a leading zero
      part = part * 10 + (c - 48);
      digits++;
    } else {
      return null;
    }
  }
  return parts === 4 ? value : null;
}

function parseIpv6(text: string): IpAddress | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  let head = text;
  let tailV4: IpAddress | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (!tailV4) return null;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parseGroups(halves[0]!);
  const right = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!left || !right) return null;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - left.length - right.length;
    if (missing < 1) return null;
    groups = [...left, ...new Array<number>(missing).fill(0), ...right];
  } else {
    groups = left;
  }
  if (groups.length !== 8) return null;
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  if (tailV4) value = (value & ~0xffffffffn) | tailV4.value;
  return { family: 6, value };
}

/** Canonical text: dotted quad, or RFC 5952 IPv6 (lowercase, longest zero run as `::`). */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) {
    const v = Number(ip.value);
    return `${Math.floor(v / 16777216) % 256}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function canonicalIp(text: string): string | null {
  // An IPv4 address parseIp reads is written canonically already (no leading zeros).
  if (!text.includes(':')) return ipv4Value(text) !== null ? text : null;
  const ip = parseIp(text);
  return ip ? formatIp(ip) : null;
}

/** Parses `addr/prefix`; a bare address is a host route (/32 or /128). */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(addrText);
  if (!ip) return null;
  const bits = bitsOf(ip.family);
  let prefix = bits;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    prefix = Number(p);
    if (prefix > bits) return null;
  }
  const mask = prefixMask(ip.family, prefix);
  const network = ip.value & mask;
  return { family: ip.family, network, prefix, hadHostBits: network !== ip.value };
}

export function prefixMask(family: IpFamily, prefix: number): bigint {
  const bits = BigInt(bitsOf(family));
  const all = (1n << bits) - 1n;
  return prefix === 0 ? 0n : (all >> (bits - BigInt(prefix))) << (bits - BigInt(prefix));
}

/** `10.0.0.0/24`; host routes keep their prefix so the text round-trips. */
export function formatCidr(cidr: Cidr): string {
  return `${formatIp({ family: cidr.family, value: cidr.network })}/${cidr.prefix}`;
}

export function cidrContainsIp(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.family === ip.family && (ip.value & prefixMask(cidr.family, cidr.prefix)) === cidr.network;
}

/** True when every address of `inner` lies in `outer`. */
export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.family === inner.family &&
    inner.prefix >= outer.prefix &&
    (inner.network & prefixMask(outer.family, outer.prefix)) === outer.network
  );
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContainsCidr(a, b) || cidrContainsCidr(b, a);
}
