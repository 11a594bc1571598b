import { formatIp, parseIp } from '../../net/ip.js';
import { formatMatchExpr, type MatchExpr, type MatchValue } from '../../match/index.js';
import { parseConstant, parseMatch } from './parser.js';
import { lookupSymbol, type FieldSymbol } from './symbols.js';

export type L4Name = 'tcp' | 'udp' | 'sctp' | 'icmp';

/**
 * The first packet of a connection as one ACL stage sees it. `inport`/`outport` are logical port
 * names; OVN sets `outport` only at the L2 lookup, after the ingress ACL stages, so from-lport ACLs
 * see it empty.
 */
export interface Packet {
  readonly inport: string;
  readonly outport: string;
  readonly family: 4 | 6;
  readonly src: bigint;
  readonly dst: bigint;
  readonly protocol: L4Name;
  /** TCP/UDP/SCTP ports; for ICMP the echo request type/code are used instead. */
  readonly srcPort: number;
  readonly dstPort: number;
}

/** A value of an address set entry, as OVN reads it: an address with an optional mask. */
export interface MaskedValue {
  readonly value: bigint;
  readonly mask: bigint | null;
  readonly form: 'integer' | 'ipv4' | 'ipv6' | 'mac';
}

/** Where `$set` and `@group` references are resolved (the NB rows being explained). */
export interface MatchEnvironment {
  addressSet(name: string): readonly MaskedValue[] | undefined;
  portGroup(name: string): ReadonlySet<string> | undefined;
}

/**
 * A row whose match OVN could not turn into flows: ovn-controller logs the error and installs no
 * flow for it, so the ACL behaves as if absent. Explain reports such rows instead of guessing.
 */
export class MatchReferenceError extends Error {
  readonly code = 'NBGEN_MATCH_REFERENCE';
  constructor(message: string) {
    super(message);
    this.name = 'MatchReferenceError';
  }
}

const prerequisiteCache = new Map<string, MatchExpr>();
/** A predicate's expansion or a field's prerequisite, parsed once. */
export function definitionOf(text: string): MatchExpr {
  let expr = prerequisiteCache.get(text);
  if (!expr) {
    expr = parseMatch(text);
    prerequisiteCache.set(text, expr);
  }
  return expr;
}

/**
 * Evaluates `expr` on `packet` with OVN's semantics: `!` is pushed down to the comparisons and a
 * field's prerequisites are then added positively, so `!(tcp.dst == 80)` is false for UDP.
 */
export function evaluateMatch(expr: MatchExpr, packet: Packet, env: MatchEnvironment): boolean {
  return evaluate(expr, false, packet, env);
}

function evaluate(expr: MatchExpr, negated: boolean, packet: Packet, env: MatchEnvironment): boolean {
  switch (expr.type) {
    case 'bool':
      return expr.value !== negated;
    case 'not':
      return evaluate(expr.child, !negated, packet, env);
    case 'and':
      return negated
        ? expr.children.some((c) => evaluate(c, true, packet, env))
        : expr.children.every((c) => evaluate(c, false, packet, env));
    case 'or':
      return negated
        ? expr.children.every((c) => evaluate(c, true, packet, env))
        : expr.children.some((c) => evaluate(c, false, packet, env));
    case 'symbol': {
      const sym = lookupSymbol(expr.name)!;
      if (sym.kind === 'predicate') return evaluate(definitionOf(sym.expansion), negated, packet, env);
      const one: MatchValue = { kind: 'int', form: 'integer', value: 1n, mask: null, text: '1' };
      return evaluate({ type: 'compare', field: expr.name, op: '==', values: [one] }, negated, packet, env);
    }
    case 'compare': {
      const field = lookupSymbol(expr.field) as FieldSymbol;
      if (field.prerequisite && !evaluate(definitionOf(field.prerequisite), false, packet, env)) return false;
      const result = compare(fieldValue(expr.field, packet), expr.op, expr.values, env, field);
      return result !== negated;
    }
  }
}

function compare(
  actual: bigint | string,
  op: string,
  values: readonly MatchValue[],
  env: MatchEnvironment,
  field: FieldSymbol,
): boolean {
  if (op === '==' || op === '!=') {
    const anyEqual = values.some((v) => equals(actual, v, env, field));
    return op === '==' ? anyEqual : !anyEqual;
  }
  const v = values[0]!;
  if (typeof actual !== 'bigint' || v.kind !== 'int') return false;
  switch (op) {
    case '<':
      return actual < v.value;
    case '<=':
      return actual <= v.value;
    case '>':
      return actual > v.value;
    default:
      return actual >= v.value;
  }
}

function equals(actual: bigint | string, v: MatchValue, env: MatchEnvironment, field: FieldSymbol): boolean {
  switch (v.kind) {
    case 'string':
      return actual === v.value;
    case 'portGroup': {
      const ports = env.portGroup(v.name);
      if (!ports) throw new MatchReferenceError(`port group @${v.name} does not exist`);
      return typeof actual === 'string' && ports.has(actual);
    }
    case 'int':
      return typeof actual === 'bigint' && maskedEquals(actual, v);
    case 'addressSet': {
      const entries = env.addressSet(v.name);
      if (!entries) throw new MatchReferenceError(`address set $${v.name} does not exist`);
      // OVN reads a set in the context of the field: entries of the other family never match.
      return typeof actual === 'bigint' && setContains(entries, actual, field.type);
    }
  }
}

/** Address sets can hold thousands of addresses: exact entries are looked up in a Set. */
interface SetIndex {
  readonly exact: Map<string, Set<bigint>>;
  readonly masked: readonly MaskedValue[];
}
const setIndexes = new WeakMap<readonly MaskedValue[], SetIndex>();

function setContains(entries: readonly MaskedValue[], actual: bigint, form: string): boolean {
  let index = setIndexes.get(entries);
  if (!index) {
    const exact = new Map<string, Set<bigint>>();
    const masked: MaskedValue[] = [];
    for (const e of entries) {
      if (e.mask === null) {
        let forForm = exact.get(e.form);
        if (!forForm) exact.set(e.form, (forForm = new Set()));
        forForm.add(e.value);
      } else {
        masked.push(e);
      }
    }
    index = { exact, masked };
    setIndexes.set(entries, index);
  }
  if (index.exact.get(form)?.has(actual)) return true;
  return index.masked.some((e) => e.form === form && maskedEquals(actual, e));
}

function maskedEquals(actual: bigint, v: { value: bigint; mask: bigint | null }): boolean {
  return v.mask === null ? actual === v.value : (actual & v.mask) === v.value;
}

const PROTO_NUMBER: Record<L4Name, Record<4 | 6, bigint>> = {
  tcp: { 4: 6n, 6: 6n },
  udp: { 4: 17n, 6: 17n },
  sctp: { 4: 132n, 6: 132n },
  icmp: { 4: 1n, 6: 58n },
};

/** Value of a field in the packet. Only called once the field's prerequisites hold. */
export function fieldValue(name: string, p: Packet): bigint | string {
  switch (name) {
    case 'inport':
      return p.inport;
    case 'outport':
      return p.outport;
    case 'eth.type':
      return p.family === 4 ? 0x800n : 0x86ddn;
    case 'ip.proto':
      return PROTO_NUMBER[p.protocol][p.family];
    case 'ip.ttl':
      return 64n;
    case 'ip4.src':
    case 'ip6.src':
      return p.src;
    case 'ip4.dst':
    case 'ip6.dst':
      return p.dst;
    case 'tcp.src':
    case 'udp.src':
    case 'sctp.src':
      return BigInt(p.srcPort);
    case 'tcp.dst':
    case 'udp.dst':
    case 'sctp.dst':
      return BigInt(p.dstPort);
    case 'icmp4.type':
      return 8n; // echo request
    case 'icmp6.type':
      return 128n; // echo request
    case 'icmp4.code':
    case 'icmp6.code':
      return 0n;
    case 'ct.trk':
    case 'ct.new':
      return 1n; // explain judges the first packet of a new connection
    case 'ct.est':
    case 'ct.rel':
    case 'ct.rpl':
    case 'ct.inv':
      return 0n;
    default:
      // eth.src/dst and friends: explain does not model MAC addresses.
      throw new MatchReferenceError(`explain cannot evaluate ${name}`);
  }
}

/**
 * Why a match is false: the first conjunct (of a top-level `&&`) that fails, rendered in OVN
 * syntax with the packet's value, e.g. `tcp.dst == 80 (packet: 8000)`.
 */
export function firstFailingCondition(expr: MatchExpr, packet: Packet, env: MatchEnvironment): MatchExpr {
  if (expr.type === 'and') {
    for (const c of expr.children) {
      if (!evaluate(c, false, packet, env)) return firstFailingCondition(c, packet, env);
    }
  }
  return expr;
}

export function describeCondition(expr: MatchExpr, packet: Packet): string {
  const text = formatMatchExpr(expr);
  if (expr.type !== 'compare') return text;
  const field = lookupSymbol(expr.field) as FieldSymbol;
  let actual: bigint | string;
  try {
    if (field.prerequisite && !evaluate(definitionOf(field.prerequisite), false, packet, emptyEnvironment)) {
      return `${text} (packet has no ${expr.field}: not ${field.prerequisite})`;
    }
    actual = fieldValue(expr.field, packet);
  } catch {
    return text;
  }
  return `${text} (packet: ${formatFieldValue(field, actual)})`;
}

const emptyEnvironment: MatchEnvironment = { addressSet: () => [], portGroup: () => new Set() };

function formatFieldValue(field: FieldSymbol, v: bigint | string): string {
  if (typeof v === 'string') return v === '' ? '(unset)' : JSON.stringify(v);
  if (field.type === 'ipv4') return formatIp({ family: 4, value: v });
  if (field.type === 'ipv6') return formatIp({ family: 6, value: v });
  return String(v);
}

/**
 * Parses address-set entries (`10.0.0.1`, `10.0.0.0/24`, `fd00::/64`) the way OVN reads them.
 * `memo` keeps each entry's reading across sets (a pod's address is in many sets).
 */
/**
 * One address set entry as parseConstant reads it: a value, or why it cannot be read. A bare
 * address (most entries: pod addresses) is read by parseIp alone: no integer, hex or MAC constant
 * is also an address (those have no dots, or not the eight groups or `::` of IPv6), so
 * parseConstant would reach parseIp for it and give the same value.
 */
function addressEntry(text: string): MaskedValue | string {
  if (!text.includes('/')) {
    const ip = parseIp(text);
    if (ip !== null) return { value: ip.value, mask: null, form: ip.family === 4 ? 'ipv4' : 'ipv6' };
  }
  const c = parseConstant(text);
  return typeof c === 'string' ? c : { value: c.value, mask: c.mask, form: c.form };
}

export function parseAddressSetEntries(addresses: readonly string[], memo?: Map<string, MaskedValue | string>): MaskedValue[] {
  const out: MaskedValue[] = [];
  for (const a of addresses) {
    let entry = memo?.get(a);
    if (entry === undefined) {
      entry = addressEntry(a);
      memo?.set(a, entry);
    }
    if (typeof entry === 'string') throw new MatchReferenceError(`address set entry ${a}: ${entry}`);
    out.push(entry);
  }
  return out;
}
