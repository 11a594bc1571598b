import type { CompileOptions } from '../compile/options.js';
import type { CompileWarning } from '../errors.js';
import { addressSetRef, and, equalsAny, or, type MatchExpr } from '../match/index.js';
import type { L4Protocol, Pod } from '../model/inventory.js';
import { ovnName } from '../naming/ovnName.js';
import type { IpFamily } from '../net/ip.js';
import { ownedExternalIds, type ObjectRef } from '../ownership.js';
import { AddressSetRow } from '../rows/index.js';
import { ipField, portAlternatives, portMatch, resolvedPort, type PortAlternative } from './match.js';
import { namePrefixOf, type RuleDirection, type TieredPolicy } from './tieredPolicy.js';
import type { RankedRule } from './priorities.js';
import { addressesOf, peerAddressesOf, peerPodsOf, type TierSelections } from './select.js';

/**
 * One rule → what it matches, per address family, plus the Address_Sets its matches refer to.
 * The subject term (`inport/outport == @pg`) and Pass exclusions are added by the caller, which
 * knows the whole tier.
 *
 * Ingress (judged at the destination, to-lport): `ip4.src == $peers && (ports)`; a named port
 * resolves on the subject pods: `ip4.src == $peers && ip4.dst == $<subject pods where it is
 * tcp/8080> && tcp.dst == 8080`.
 * Egress (judged at the source, from-lport): `ip4.dst == $peers && (ports)`; a named port
 * resolves on the peer pods: `ip4.dst == $<peer pods where it is tcp/8080> && tcp.dst == 8080`.
 * Bodies never test `inport`/`outport` and are kept as clauses, so a Pass rule's match can be
 * negated by hand in the rules below it (see compile.ts).
 */
export interface RuleMatch {
  readonly family: IpFamily;
  /** The rule's match without the subject term, as alternatives (ORed); never empty. */
  readonly clauses: readonly MatchClause[];
  /** The clauses as a match. */
  readonly body: MatchExpr;
}

/** Address tests (ANDed) and port alternatives (ORed; null: every protocol, ICMP included). */
export interface MatchClause {
  readonly addresses: readonly AddressTest[];
  readonly ports: readonly PortAlternative[] | null;
}

/** `ip4.src == $set`, with what the set holds (to tell disjoint clauses apart at compile time). */
export interface AddressTest {
  readonly field: string;
  readonly set: string;
  readonly values: readonly string[];
}

export const addressTestMatch = (t: AddressTest): MatchExpr => equalsAny(t.field, [addressSetRef(t.set)]);

export function clauseMatch(clause: MatchClause): MatchExpr {
  return and([...clause.addresses.map(addressTestMatch), clause.ports === null ? null : or(clause.ports.map(portMatch))]);
}

export interface CompiledRule {
  readonly ranked: RankedRule;
  /** One per family that can match anything; none when every peer set is empty. */
  readonly matches: readonly RuleMatch[];
  readonly addressSets: readonly AddressSetRow[];
}

const FAMILIES: readonly IpFamily[] = [4, 6];

export function objectRefOf(policy: TieredPolicy): ObjectRef {
  return { kind: policy.kind, namespace: '', name: policy.name };
}

/** `cnp.<name>`: the Port_Group of the policy's subject pods, which holds all its ACLs. */
export function subjectPortGroupName(policy: TieredPolicy): string {
  return ovnName(namePrefixOf(policy.kind), [policy.name]);
}

/** `In0`, `Eg12`: the name segment of a rule. */
export function ruleSegment(direction: RuleDirection, index: number): string {
  return `${direction === 'ingress' ? 'In' : 'Eg'}${index}`;
}

/** `Tcp8080`: the name segment of a resolved named port. */
function resolvedSegment(protocol: L4Protocol, port: number): string {
  return `${protocol[0]}${protocol.slice(1).toLowerCase()}${port}`;
}

/** `ingress/0`, `egress/3/ip4`, `ingress/1/tcp-8080`: row identities within the policy. */
export function ruleRowId(direction: RuleDirection, index: number, ...rest: string[]): string {
  return [direction, String(index), ...rest].join('/');
}

const familyId = (family: IpFamily): string => `ip${family}`;
const resolvedId = (protocol: L4Protocol, port: number): string => `${protocol.toLowerCase()}-${port}`;

export function compileRule(
  ranked: RankedRule,
  subjectPods: readonly Pod[],
  selections: TierSelections,
  options: CompileOptions,
  warnings: CompileWarning[],
): CompiledRule {
  const { policy, direction, index, rule } = ranked;
  const prefix = namePrefixOf(policy.kind);
  const ref = objectRefOf(policy);
  const segment = ruleSegment(direction, index);
  const peers = addressesOf(peerAddressesOf(policy, rule, selections, warnings));
  const numeric = portAlternatives(rule.ports);
  const anyPort = rule.ports.length === 0;
  const addressSets: AddressSetRow[] = [];

  const addressTest = (
    family: IpFamily,
    side: 'src' | 'dst',
    addresses: readonly string[],
    ...extra: { seg: string; id: string }[]
  ): AddressTest => {
    const name = ovnName(prefix, [policy.name], [segment, ...extra.map((e) => e.seg), `Ip${family}`]);
    const rowId = ruleRowId(direction, index, ...extra.map((e) => e.id), familyId(family));
    const row = AddressSetRow({ name, addresses, externalIds: ownedExternalIds(options.owner, ref, rowId) });
    addressSets.push(row);
    return { field: ipField(family, side), set: name, values: row.addresses };
  };

  // Named ports resolve on the destination pod: the subject for ingress, the peer for egress.
  // Either way the pods where a name means tcp/8080 become an address set of destinations:
  // `(ip4.dst == $<those pods> && tcp.dst == 8080)`. (Not `outport == @pg`: the match must stay
  // negatable for Pass exclusions, and OVN refuses `outport`/`inport` tests under `!`.)
  const namedOn = direction === 'ingress' ? subjectPods : peerPodsOf(rule, selections);
  const resolutions = selections.namedPorts(rule.ports, namedOn);

  const matches: RuleMatch[] = [];
  for (const family of FAMILIES) {
    // Called only where the clauses are used, so no address set is written for nothing.
    const namedClauses = (...addresses: AddressTest[]): MatchClause[] =>
      resolutions.flatMap((r) => {
        const ips = addressesOf(r.pods.flatMap((p) => p.ips))[family];
        if (ips.length === 0) return [];
        const dst = addressTest(family, 'dst', ips, { seg: resolvedSegment(r.protocol, r.port), id: resolvedId(r.protocol, r.port) });
        return [{ addresses: [...addresses, dst], ports: [resolvedPort(r.protocol, r.port)] }];
      });
    const clauses: MatchClause[] = [];
    const peerAddresses = peers[family];
    if (direction === 'ingress') {
      // Peers are sources; numeric and named ports are alternatives for the same sources.
      const anyNamed = resolutions.some((r) => r.pods.some((p) => addressesOf(p.ips)[family].length > 0));
      if (peerAddresses.length > 0 && (anyPort || numeric.length > 0 || anyNamed)) {
        const src = addressTest(family, 'src', peerAddresses);
        if (anyPort) clauses.push({ addresses: [src], ports: null });
        if (numeric.length > 0) clauses.push({ addresses: [src], ports: numeric });
        clauses.push(...namedClauses(src));
      }
    } else {
      // Peers are destinations; a named-port clause names its own destinations.
      if (peerAddresses.length > 0 && (anyPort || numeric.length > 0)) {
        const dst = addressTest(family, 'dst', peerAddresses);
        clauses.push({ addresses: [dst], ports: anyPort ? null : numeric });
      }
      clauses.push(...namedClauses());
    }
    if (clauses.length > 0) matches.push({ family, clauses, body: or(clauses.map(clauseMatch)) });
  }
  return { ranked, matches, addressSets };
}
