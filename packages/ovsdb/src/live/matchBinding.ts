/**
 * What an ACL match says about the ports it can apply to, read from its text without parsing it
 * (a 100,000-row NB has tens of thousands of distinct matches): `inport == @pg && ...` can only
 * match a packet whose inport is in `pg`.
 *
 * Conservative by construction: only a match that *starts* with `inport|outport == @NAME` or
 * `== "PORT"`, followed by `&&` or the end, and has no `||` anywhere, is bound. OVN rejects `&&`
 * and `||` mixed without parentheses ("&& and || must be parenthesized when used together",
 * ovn/lib/expr.c), so such a text is a conjunction at its top level and its first conjunct must
 * hold for the whole match to. Anything else (a set `{...}`, a parenthesised first term, an
 * escaped string) is `null`: the row may match any port, and a reader keeps it.
 *
 *   matchBinding('outport == @np.shop.web && ip4')   // { kind: 'portGroup', name: 'np.shop.web' }
 *   matchBinding('ip4.dst == 10.0.0.0/8')            // null
 */
export type MatchBinding = { readonly kind: 'portGroup'; readonly name: string } | { readonly kind: 'port'; readonly name: string };

// Port group names, ovn-nb(5) Port_Group: [a-zA-Z_.][a-zA-Z_.0-9]*.
const NAME = '[A-Za-z_.][A-Za-z_.0-9]*';
const BOUND = new RegExp(`^\\s*(?:inport|outport)\\s*==\\s*(?:@(${NAME})|"([^"\\\\]*)")\\s*(?:&&|$)`);

export function matchBinding(match: string): MatchBinding | null {
  if (match.includes('||')) return null;
  const m = BOUND.exec(match);
  if (!m) return null;
  return m[1] !== undefined ? { kind: 'portGroup', name: m[1] } : { kind: 'port', name: m[2]! };
}

/**
 * Names a match may look up: port groups (`@pg`, and `pg` behind OVN's `$pg_ip4`/`$pg_ip6`) and
 * address sets (`$set`). A superset (a name inside a string counts too): reading one more group
 * or set than needed changes nothing.
 */
export function matchReferences(match: string): { readonly portGroups: readonly string[]; readonly addressSets: readonly string[] } {
  const portGroups = new Set<string>();
  const addressSets = new Set<string>();
  for (const m of match.matchAll(new RegExp(`([@$])(${NAME})`, 'g'))) {
    const name = m[2]!;
    if (m[1] === '@') portGroups.add(name);
    else {
      addressSets.add(name);
      const group = /^(.*)_ip[46]$/.exec(name)?.[1];
      if (group !== undefined) portGroups.add(group);
    }
  }
  return { portGroups: [...portGroups], addressSets: [...addressSets] };
}
