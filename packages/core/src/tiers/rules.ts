import type { CompileOptions } from '../compile/options';
import type { CompileWarning } from '../errors';
import type { Inventory, L4Protocol, Pod } from '../model/inventory';
import { ovnName } from '../naming/ovnName';
import type { IpFamily } from '../net/ip';
import { ownedExternalIds, type ObjectRef } from '../ownership';
import { AddressSetRow, PortGroupRow } from '../rows';
import { and, ipField, numericPortAlternatives, or, resolvedPortMatch } from './match';
import { namePrefixOf, type RuleDirection, type TieredPolicy } from './model';
import type { RankedRule } from './priorities';
import { addressesOf, peerAddressesOf, peerPodsOf, resolveNamedPorts } from './select';

/**
 * One rule → what it matches, per address family, plus the Address_Sets and named-port
 * Port_Groups its matches refer to. The subject term (`inport/outport == @pg`) and Pass
 * exclusions are added by the caller, which knows the whole tier.
 *
 * Ingress (judged at the destination, to-lport):  `ip4.src == $peers && (ports)`; a named port
 * resolves on the subject pods, so it becomes `(outport == @<pods where it is tcp/8080> && tcp.dst == 8080)`.
 * Egress (judged at the source, from-lport):  `ip4.dst == $peers && (ports)`; a named port
 * resolves on the peer pods, so it becomes `(ip4.dst == $<peers where it is tcp/8080> && tcp.dst == 8080)`.
 */
export interface RuleMatch {
  readonly family: IpFamily;
  /** The rule's match without the subject term; never empty. */
  readonly body: string;
}

export interface CompiledRule {
  readonly ranked: RankedRule;
  /** One per family that can match anything; none when every peer set is empty. */
  readonly matches: readonly RuleMatch[];
  readonly addressSets: readonly AddressSetRow[];
  readonly portGroups: readonly PortGroupRow[];
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
  inventory: Inventory,
  options: CompileOptions,
  warnings: CompileWarning[],
): CompiledRule {
  const { policy, direction, index, rule } = ranked;
  const prefix = namePrefixOf(policy.kind);
  const ref = objectRefOf(policy);
  const segment = ruleSegment(direction, index);
  const side = direction === 'ingress' ? 'src' : 'dst';
  const peers = addressesOf(peerAddressesOf(policy, rule, inventory, warnings));
  const numeric = numericPortAlternatives(rule.ports);
  const anyPort = rule.ports.length === 0;
  const addressSets: AddressSetRow[] = [];
  const portGroups: PortGroupRow[] = [];

  const addressSet = (family: IpFamily, addresses: readonly string[], ...extra: { seg: string; id: string }[]): string => {
    const name = ovnName(prefix, [policy.name], [segment, ...extra.map((e) => e.seg), `Ip${family}`]);
    const rowId = ruleRowId(direction, index, ...extra.map((e) => e.id), familyId(family));
    addressSets.push(AddressSetRow({ name, addresses, externalIds: ownedExternalIds(options.owner, ref, rowId) }));
    return name;
  };

  // Named ports resolve on the destination pod: the subject for ingress, the peer for egress.
  const namedOn = direction === 'ingress' ? subjectPods : peerPodsOf(rule, inventory);
  const resolutions = resolveNamedPorts(rule.ports, namedOn);
  const namedIngressAlternatives: string[] = [];
  if (direction === 'ingress') {
    for (const r of resolutions) {
      const seg = resolvedSegment(r.protocol, r.port);
      const name = ovnName(prefix, [policy.name], [segment, seg]);
      const rowId = ruleRowId(direction, index, resolvedId(r.protocol, r.port));
      portGroups.push(
        PortGroupRow({ name, ports: r.pods.map(options.portNameFor), externalIds: ownedExternalIds(options.owner, ref, rowId) }),
      );
      namedIngressAlternatives.push(and([`outport == @${name}`, resolvedPortMatch(r.protocol, r.port)]));
    }
  }

  const matches: RuleMatch[] = [];
  for (const family of FAMILIES) {
    const clauses: string[] = [];
    const peerAddresses = peers[family];
    const l4 = direction === 'ingress' ? [...numeric, ...namedIngressAlternatives] : numeric;
    if (peerAddresses.length > 0 && (anyPort || l4.length > 0)) {
      const l3 = `${ipField(family, side)} == $${addressSet(family, peerAddresses)}`;
      clauses.push(anyPort ? l3 : and([l3, or(l4)]));
    }
    if (direction === 'egress') {
      for (const r of resolutions) {
        const ips = addressesOf(r.pods.flatMap((p) => p.ips))[family];
        if (ips.length === 0) continue;
        const set = addressSet(family, ips, { seg: resolvedSegment(r.protocol, r.port), id: resolvedId(r.protocol, r.port) });
        clauses.push(and([`${ipField(family, side)} == $${set}`, resolvedPortMatch(r.protocol, r.port)]));
      }
    }
    if (clauses.length > 0) matches.push({ family, body: or(clauses) });
  }
  return { ranked, matches, addressSets, portGroups };
}
