/**
 * Names for Port_Group and Address_Set rows.
 *
 * OVN requires `[a-zA-Z_.][a-zA-Z_.0-9]*` (ovn-nb(5)) because the names appear bare in matches
 * (`@pg`, `$as`). Kubernetes object names are lowercase DNS names (`[a-z0-9.-]`). Kube-OVN maps
 * `-` to `.`, so NetworkPolicy `a-b` and `a.b` share a port group and erase each other's ACLs.
 *
 * Our scheme is lossless on validated Kubernetes names and still readable:
 *  - in every name part `-` becomes `_` (Kubernetes names never contain `_`), `.` stays;
 *  - parts are joined with `.`; only the last part may itself contain dots (a namespace is a DNS
 *    label without dots, a policy name is a DNS subdomain), so the split is unambiguous;
 *  - generated suffix segments start with an uppercase letter (`In0`, `Eg2`, `Ip4`), which no
 *    Kubernetes name segment does, so they cannot be confused with a name's own dotted tail.
 * Example: NetworkPolicy `prod/allow-web`, ingress rule 0, IPv4 peers →
 * port group `np.prod.allow_web`, address set `np.prod.allow_web.In0.Ip4`.
 * OVN derives `<pg>_ip4`/`<pg>_ip6` address sets from port groups; ours never end that way.
 */
const DNS_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const SUFFIX_SEGMENT = /^[A-Z][A-Za-z0-9]*$/;
// A module constant: a regex literal in the function body is a new RegExp object at every call.
const NAME_PREFIX = /^[a-z]+$/;
/** Port_Group and Address_Set names have no OVN length limit; keep logs and matches readable. */
const MAX_OVN_NAME = 240;

export function isKubernetesName(value: string): boolean {
  return DNS_NAME.test(value);
}

export function encodeNamePart(part: string): string {
  if (!DNS_NAME.test(part)) {
    throw new Error(`internal: name part ${JSON.stringify(part)} is not a validated Kubernetes name`);
  }
  return part.includes('-') ? part.replaceAll('-', '_') : part;
}

/**
 * `ovnName('np', ['prod', 'allow-web'], ['In0', 'Ip4'])` → `np.prod.allow_web.In0.Ip4`.
 * `prefix` names the object kind (`np`, `cnp`, `anp`, `banp`, ...) and must be lowercase letters.
 */
export function ovnName(prefix: string, parts: readonly string[], suffix: readonly string[] = []): string {
  if (!NAME_PREFIX.test(prefix)) throw new Error(`internal: bad name prefix ${JSON.stringify(prefix)}`);
  for (const seg of suffix) {
    if (!SUFFIX_SEGMENT.test(seg)) throw new Error(`internal: bad name suffix ${JSON.stringify(seg)}`);
  }
  // Joined in a loop: no spread, mapped and joined arrays for each of 15,000 names at 10,000 policies.
  let name = prefix;
  for (let i = 0; i < parts.length; i++) name += `.${encodeNamePart(parts[i]!)}`;
  for (let i = 0; i < suffix.length; i++) name += `.${suffix[i]!}`;
  return limitLength(name, MAX_OVN_NAME);
}

/** Shortens `name` to at most `max` characters with a hash of the full name (never bare truncation). */
export function limitLength(name: string, max: number): string {
  if (name.length <= max) return name;
  const suffix = `.H${stableHash(name)}`;
  return name.slice(0, max - suffix.length) + suffix;
}

/**
 * 64-bit FNV-1a over UTF-16 code units, as 13 base-32 characters. Deterministic and well spread,
 * not cryptographic. (`core` must not import node:crypto.)
 *
 * Computed on two 32-bit halves with plain numbers (BigInt arithmetic was a visible cost when
 * naming tens of thousands of address sets): the FNV prime is 2^40 + 0x1b3, so
 * h * prime = (h << 40) + h * 0x1b3, and every intermediate stays below 2^53, exact in a double.
 */
export function stableHash(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo ^= text.charCodeAt(i);
    lo >>>= 0;
    const loProduct = lo * 0x1b3;
    const carry = Math.floor(loProduct / 0x100000000);
    hi = (hi * 0x1b3 + carry + lo * 0x100) >>> 0;
    lo = loProduct >>> 0;
  }
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString(32).padStart(13, '0');
}
