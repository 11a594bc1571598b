import type { MatchExpr, MatchValue } from '../../match/ast.js';
import { definitionOf, fieldValue, MatchReferenceError, type MatchEnvironment, type MaskedValue, type Packet } from './evaluate.js';
import { lookupSymbol, type FieldSymbol } from './symbols.js';

/** A match turned into a function of the packet: what evaluateMatch answers, without walking the tree. */
export type CompiledMatch = (packet: Packet) => boolean;

/**
 * Compiles `expr` once for many packets (a matrix judges each row hundreds of thousands of times).
 * The function gives evaluateMatch's answer for every packet, and throws the same
 * MatchReferenceError at the same point of the evaluation: the same OVN semantics (`!` pushed down
 * to the comparisons, prerequisites added positively), the same left-to-right order and
 * short-circuits, only with `$set`/`@group` references and field readers resolved in advance.
 * (test/explain/matchCompile.test.ts holds the two equal on every row of the e2e scenarios.)
 */
export function compileMatch(expr: MatchExpr, env: MatchEnvironment): CompiledMatch {
  return compile(expr, false, env);
}

type Actual = bigint | string | number;
/** One value of a comparison tested against the field's value (may throw a reference error). */
type ValueTest = (actual: Actual) => boolean;

const TRUE: CompiledMatch = () => true;
const FALSE: CompiledMatch = () => false;

function compile(expr: MatchExpr, negated: boolean, env: MatchEnvironment): CompiledMatch {
  switch (expr.type) {
    case 'bool':
      return expr.value !== negated ? TRUE : FALSE;
    case 'not':
      return compile(expr.child, !negated, env);
    case 'and': {
      const children = expr.children.map((c) => compile(c, negated, env));
      return negated ? anyOf(children) : allOf(children);
    }
    case 'or': {
      const children = expr.children.map((c) => compile(c, negated, env));
      return negated ? allOf(children) : anyOf(children);
    }
    case 'symbol': {
      const sym = lookupSymbol(expr.name)!;
      if (sym.kind === 'predicate') return definition(sym.expansion, negated);
      const one: MatchValue = { kind: 'int', form: 'integer', value: 1n, mask: null, text: '1' };
      return compile({ type: 'compare', field: expr.name, op: '==', values: [one] }, negated, env);
    }
    case 'compare':
      return compileCompare(expr, negated, env);
  }
}

// Predicate expansions and prerequisites name no `$set` or `@group`: compiled once for all rows.
const definitions = new Map<string, CompiledMatch>();
const NO_REFERENCES: MatchEnvironment = { addressSet: () => undefined, portGroup: () => undefined };
function definition(text: string, negated: boolean): CompiledMatch {
  const key = `${negated ? '!' : ''}${text}`;
  let hit = definitions.get(key);
  if (!hit) {
    hit = DIRECT_DEFINITIONS[key] ?? compile(definitionOf(text), negated, NO_REFERENCES);
    definitions.set(key, hit);
  }
  return hit;
}

// The prerequisites every address and port test reads (`ip4`, `tcp`...), as what they come to on
// a packet of explain (fieldValue: eth.type follows the family, ip.proto the protocol, every
// packet is IPv4 or IPv6), instead of chains of comparisons. Held to the interpreter by
// test/explain/matchCompile.test.ts like the rest.
const DIRECT_DEFINITIONS: Readonly<Record<string, CompiledMatch>> = {
  'eth.type == 0x800': (p) => p.family === 4,
  'eth.type == 0x86dd': (p) => p.family === 6,
  'ip4 || ip6': TRUE,
  'ip.proto == 6': (p) => p.protocol === 'tcp',
  'ip.proto == 17': (p) => p.protocol === 'udp',
  'ip.proto == 132': (p) => p.protocol === 'sctp',
};

function allOf(children: readonly CompiledMatch[]): CompiledMatch {
  if (children.length === 1) return children[0]!;
  if (children.length === 2) {
    const [a, b] = children as [CompiledMatch, CompiledMatch];
    return (p) => a(p) && b(p);
  }
  if (children.length === 3) {
    const [a, b, c] = children as [CompiledMatch, CompiledMatch, CompiledMatch];
    return (p) => a(p) && b(p) && c(p);
  }
  return (p) => {
    for (const c of children) if (!c(p)) return false;
    return true;
  };
}

function anyOf(children: readonly CompiledMatch[]): CompiledMatch {
  if (children.length === 1) return children[0]!;
  if (children.length === 2) {
    const [a, b] = children as [CompiledMatch, CompiledMatch];
    return (p) => a(p) || b(p);
  }
  return (p) => {
    for (const c of children) if (c(p)) return true;
    return false;
  };
}

/** `field op values`: false when the field's prerequisite does not hold, whatever the negation. */
function compileCompare(expr: Extract<MatchExpr, { type: 'compare' }>, negated: boolean, env: MatchEnvironment): CompiledMatch {
  const field = lookupSymbol(expr.field) as FieldSymbol;
  const read = fieldReader(expr.field);
  const test = comparison(expr.op, expr.values, env, field);
  const decide: CompiledMatch = negated ? (p) => !test(read(p)) : (p) => test(read(p));
  if (!field.prerequisite) return decide;
  const prerequisite = definition(field.prerequisite, false);
  return (p) => prerequisite(p) && decide(p);
}

function comparison(op: string, values: readonly MatchValue[], env: MatchEnvironment, field: FieldSymbol): ValueTest {
  if (op === '==' || op === '!=') {
    const tests = values.map((v) => equality(v, env, field));
    const anyEqual: ValueTest =
      tests.length === 1
        ? tests[0]!
        : (actual) => {
            for (const t of tests) if (t(actual)) return true;
            return false;
          };
    return op === '==' ? anyEqual : (actual) => !anyEqual(actual);
  }
  const v = values[0]!;
  if (v.kind !== 'int') return () => false;
  const bound = v.value;
  const small = Number(bound);
  // Ordered comparisons read integers (a string field is never ordinal: false, as evaluateMatch).
  const ordered = (cmp: (a: number | bigint) => boolean): ValueTest => (actual) => (typeof actual === 'string' ? false : cmp(actual));
  switch (op) {
    case '<':
      return ordered((a) => (typeof a === 'number' ? a < small : a < bound));
    case '<=':
      return ordered((a) => (typeof a === 'number' ? a <= small : a <= bound));
    case '>':
      return ordered((a) => (typeof a === 'number' ? a > small : a > bound));
    default:
      return ordered((a) => (typeof a === 'number' ? a >= small : a >= bound));
  }
}

/** One value of `==`/`!=`: the reference is looked up now, and a missing one throws when reached. */
function equality(v: MatchValue, env: MatchEnvironment, field: FieldSymbol): ValueTest {
  switch (v.kind) {
    case 'string': {
      const expected = v.value;
      return (actual) => actual === expected;
    }
    case 'portGroup': {
      const ports = env.portGroup(v.name);
      if (!ports) return thrower(new MatchReferenceError(`port group @${v.name} does not exist`));
      return (actual) => typeof actual === 'string' && ports.has(actual);
    }
    case 'int':
      return maskedTest(v.value, v.mask);
    case 'addressSet': {
      // The set is looked up when the value is first tested, not when the row is compiled: a row
      // is tested for packets its earlier conjuncts or the field's prerequisite may turn away
      // every time (an `ip6.src == $set` row for IPv4 flows: nbgen test parses no IPv6 set for
      // them). The test is the same, and a missing set throws at the same point as before.
      let test: ValueTest | null = null;
      return (actual) => (test ??= addressSetTest(v.name, env, field))(actual);
    }
  }
}

/** `field == $name`'s test of one value (the set's index), or a thrower when the set is missing or bad. */
function addressSetTest(name: string, env: MatchEnvironment, field: FieldSymbol): ValueTest {
  let entries: readonly MaskedValue[] | undefined;
  try {
    entries = env.addressSet(name);
  } catch (e) {
    if (!(e instanceof MatchReferenceError)) throw e;
    return thrower(e);
  }
  if (!entries) return thrower(new MatchReferenceError(`address set $${name} does not exist`));
  const { exact, exactV4, maskedTests } = setIndex(entries, field.type);
  return (actual) => {
    if (typeof actual === 'number') actual = BigInt(actual);
    if (typeof actual !== 'bigint') return false;
    if (exactV4 !== null ? actual <= 0xffffffffn && exactV4.has(Number(actual)) : exact.has(actual)) return true;
    for (const t of maskedTests) if (t(actual)) return true;
    return false;
  };
}

interface SetIndex {
  readonly exact: ReadonlySet<bigint>;
  /** For an IPv4 field, the exact entries as numbers (a Set of BigInts hashes slowly). */
  readonly exactV4: ReadonlySet<number> | null;
  readonly maskedTests: readonly ValueTest[];
}

// Many rows read one set (a namespace's pods): its index is built once per set and field type.
const setIndexes = new WeakMap<readonly MaskedValue[], Map<string, SetIndex>>();

/** OVN reads a set in the context of the field: entries of the other family never match. */
function setIndex(entries: readonly MaskedValue[], form: string): SetIndex {
  let byForm = setIndexes.get(entries);
  if (!byForm) setIndexes.set(entries, (byForm = new Map()));
  let index = byForm.get(form);
  if (!index) {
    // IPv4 addresses as numbers only (the test reads exactV4 for them, never exact): no BigInt
    // set made to be copied (nbgen test reaches hundreds of pod address sets).
    const exact = new Set<bigint>();
    const exactV4 = form === 'ipv4' ? new Set<number>() : null;
    const maskedTests: ValueTest[] = [];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.form !== form) continue;
      if (e.mask !== null) maskedTests.push(maskedTest(e.value, e.mask));
      else if (exactV4 !== null) exactV4.add(Number(e.value));
      else exact.add(e.value);
    }
    index = { exact, exactV4, maskedTests };
    byForm.set(form, index);
  }
  return index;
}

/** `value/mask` against an integer field read as a bigint (addresses) or a number (ports, protocol). */
function maskedTest(value: bigint, mask: bigint | null): ValueTest {
  const small = value <= 0xffffffffn ? Number(value) : NaN;
  if (mask === null) return (actual) => (typeof actual === 'number' ? actual === small : actual === value);
  const smallMask = mask <= 0xffffffffn ? Number(mask) : NaN;
  return (actual) => {
    if (typeof actual === 'number') return Number.isNaN(smallMask) ? (BigInt(actual) & mask) === value : ((actual & smallMask) >>> 0) === small;
    return typeof actual === 'bigint' && (actual & mask) === value;
  };
}

function thrower(error: MatchReferenceError): ValueTest {
  return () => {
    throw error;
  };
}

type FieldReader = (p: Packet) => Actual;

/** fieldValue's ip.proto, as numbers. */
const PROTO_NUMBER: Readonly<Record<Packet['protocol'], Readonly<Record<4 | 6, number>>>> = {
  tcp: { 4: 6, 6: 6 },
  udp: { 4: 17, 6: 17 },
  sctp: { 4: 132, 6: 132 },
  icmp: { 4: 1, 6: 58 },
};

/**
 * The field as fieldValue reads it; integers of at most 16 bits as numbers (no BigInt per packet),
 * addresses as bigints, port names as strings.
 */
function fieldReader(name: string): FieldReader {
  switch (name) {
    case 'inport':
      return (p) => p.inport;
    case 'outport':
      return (p) => p.outport;
    case 'ip4.src':
    case 'ip6.src':
      return (p) => p.src;
    case 'ip4.dst':
    case 'ip6.dst':
      return (p) => p.dst;
    case 'tcp.src':
    case 'udp.src':
    case 'sctp.src':
      return (p) => p.srcPort;
    case 'tcp.dst':
    case 'udp.dst':
    case 'sctp.dst':
      return (p) => p.dstPort;
    // Read by every prerequisite (`tcp` is ip.proto == 6, `ip4` eth.type == 0x800): as numbers.
    case 'eth.type':
      return (p) => (p.family === 4 ? 0x800 : 0x86dd);
    case 'ip.proto':
      return (p) => PROTO_NUMBER[p.protocol][p.family];
    default:
      return (p) => {
        const v = fieldValue(name, p);
        return typeof v === 'bigint' && v <= 0xffffn ? Number(v) : v;
      };
  }
}
