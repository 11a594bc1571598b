import type { AclRow, NbRows } from '../rows/index.js';
import type { MatchExpr } from '../match/ast.js';
import { compileMatch, type CompiledMatch } from './match/compile.js';
import { parseAddressSetEntries, MatchReferenceError, type MaskedValue, type MatchEnvironment, type Packet } from './match/evaluate.js';
import { MatchSyntaxError } from './match/lexer.js';
import { parseMatchCached } from './match/parser.js';
import { parseIp } from '../net/ip.js';

/**
 * The three places OVN evaluates ACLs on a logical switch (ovn-northd(8)):
 *  - `from-lport`: ingress pipeline `ls_in_acl`, before the load balancer (sees a Service VIP);
 *  - `from-lport-after-lb`: `ls_in_acl_after_lb`, from-lport ACLs with options:apply-after-lb=true
 *    (sees the backend after DNAT);
 *  - `to-lport`: egress pipeline `ls_out_acl`, always after DNAT (apply-after-lb is ignored there).
 * Each stage decides on its own; a packet must pass all three.
 */
export type AclStage = 'from-lport' | 'from-lport-after-lb' | 'to-lport';
export const ACL_STAGES: readonly AclStage[] = ['from-lport', 'from-lport-after-lb', 'to-lport'];

export function stageOf(row: AclRow): AclStage {
  if (row.direction === 'to-lport') return 'to-lport';
  return row.options['apply-after-lb'] === 'true' ? 'from-lport-after-lb' : 'from-lport';
}

/** An ACL row ready to evaluate: its parsed match, or why OVN would install no flow for it. */
export interface PreparedAcl {
  readonly row: AclRow;
  readonly stage: AclStage;
  /** OVN's tier column; an absent tier is tier 0. */
  readonly tier: number;
  readonly match: MatchExpr | null;
  readonly error: string | null;
  /**
   * A top-level `inport == ...` / `outport == ...` conjunct, if the match has one: when it is
   * false the whole match is, so rows of other ports can be skipped without evaluating them.
   */
  readonly binding: { readonly field: 'inport' | 'outport'; readonly test: MatchExpr } | null;
  /**
   * evaluateMatch(match, packet, env), compiled on first use: true when the row matches, a
   * MatchReferenceError when OVN would install no flow for it. Only for rows with a match.
   */
  readonly test: CompiledMatch;
}

/**
 * Rows arranged the way OVN evaluates them, plus the environment their `$set`/`@group`
 * references resolve in. Built once, evaluated for many packets (matrix).
 */
export interface AclProgram {
  readonly stages: Readonly<Record<AclStage, readonly PreparedAcl[]>>;
  /** The rows of `stage` that can match a packet with these ports, in evaluation order (cached). */
  candidates(stage: AclStage, inport: string, outport: string): readonly PreparedAcl[];
  readonly env: MatchEnvironment;
  /** Rows of port groups without ports: OVN applies them to no switch. */
  readonly unattached: readonly AclRow[];
  /**
   * Pass rules on a target without tiers, as `pass` rows that are not in the NB (see
   * tiers/emulatedPasses.ts): evaluated only to name the Pass that delegated a flow.
   */
  readonly emulatedPasses: Readonly<Record<AclStage, readonly PreparedAcl[]>>;
  /** The value of an address in a packet (parsed once per program: a matrix asks for each many times). */
  addressValue(ip: string): bigint;
}

/**
 * `portAddresses` maps a logical switch port name to its IPs (OVN fills `<pg>_ip4`/`<pg>_ip6`
 * address sets from the ports' addresses).
 * Assumption: every port is on one logical switch, so the ACLs of every port group with at least
 * one port apply to every packet (ovn-nb(5): a port group's ACLs apply to all switches its ports
 * belong to). Rows decide by their match, exactly as on that switch.
 */
export function buildAclProgram(
  rows: NbRows,
  portAddresses: ReadonlyMap<string, readonly string[]>,
  emulatedPasses: readonly AclRow[] = [],
): AclProgram {
  const groups = new Map<string, ReadonlySet<string>>();
  for (const pg of rows.portGroups) groups.set(pg.name, new Set(pg.ports));
  // Address sets are parsed when a row first reads them (nbgen test reads few of thousands).
  const unparsed = new Map<string, readonly string[]>();
  for (const as of rows.addressSets) unparsed.set(as.name, as.addresses);
  const sets = new Map<string, readonly MaskedValue[] | MatchReferenceError>();
  const entries = new Map<string, MaskedValue | string>();
  const parsedSet = (name: string): readonly MaskedValue[] | MatchReferenceError | undefined => {
    const addresses = unparsed.get(name);
    if (addresses === undefined) return undefined;
    try {
      return parseAddressSetEntries(addresses, entries);
    } catch (e) {
      if (!(e instanceof MatchReferenceError)) throw e;
      return e;
    }
  };
  const env: MatchEnvironment = {
    portGroup: (name) => groups.get(name),
    addressSet: (name) => {
      const hit = sets.get(name) ?? parsedSet(name) ?? portGroupAddressSet(name, groups, portAddresses);
      if (hit) sets.set(name, hit);
      if (hit instanceof MatchReferenceError) throw hit;
      return hit;
    },
  };
  const cache = new Map<string, MatchExpr | MatchSyntaxError>();
  const stages: Record<AclStage, PreparedAcl[]> = { 'from-lport': [], 'from-lport-after-lb': [], 'to-lport': [] };
  const passes: Record<AclStage, PreparedAcl[]> = { 'from-lport': [], 'from-lport-after-lb': [], 'to-lport': [] };
  const unattached: AclRow[] = [];
  const prepare = (row: AclRow, into: Record<AclStage, PreparedAcl[]>): void => {
    let match: MatchExpr | null = null;
    let error: string | null = null;
    try {
      match = parseMatchCached(row.match, cache);
    } catch (e) {
      if (!(e instanceof MatchSyntaxError)) throw e;
      error = e.message;
    }
    const stage = stageOf(row);
    let compiled: CompiledMatch | null = null;
    const parsed = match;
    const test: CompiledMatch = (packet: Packet) => (compiled ??= parsed ? compileMatch(parsed, env) : NO_MATCH)(packet);
    into[stage].push({ row, stage, tier: row.tier ?? 0, match, error, binding: match ? portBinding(match) : null, test });
  };
  for (const row of rows.acls) {
    if ((groups.get(row.portGroup)?.size ?? 0) === 0) {
      unattached.push(row);
      continue;
    }
    prepare(row, stages);
  }
  for (const row of emulatedPasses) if ((groups.get(row.portGroup)?.size ?? 0) > 0) prepare(row, passes);
  for (const list of [...Object.values(stages), ...Object.values(passes)]) list.sort(evaluationOrder);
  // Candidates for a pair of ports: the rows bound to neither port, the rows bound (inport ==)
  // to the inport, and those bound to the outport, merged back into evaluation order. The lists
  // are kept per port, not per pair: a matrix of n ports asks for n² pairs.
  const order = new Map<PreparedAcl, number>();
  for (const list of Object.values(stages)) list.forEach((acl, i) => order.set(acl, i));
  // One pass over the rows indexes the bound ones by port (a port group's rows under each of its
  // ports); rows whose binding names no known port group stay candidates for every port.
  const bound = {} as Record<AclStage, Record<'inport' | 'outport', Map<string, PreparedAcl[]>>>;
  for (const stage of ACL_STAGES) bound[stage] = { inport: new Map(), outport: new Map() };
  const always = {} as Record<AclStage, PreparedAcl[]>;
  // A policy's rows all bind to its port group: its ports are gathered once.
  const portsOfBinding = new Map<string, ReadonlySet<string> | null>();
  const boundPortsCached = (binding: NonNullable<PreparedAcl['binding']>): ReadonlySet<string> | null => {
    const test = binding.test;
    const single = test.type === 'compare' && test.values.length === 1 && test.values[0]!.kind === 'portGroup' ? test.values[0]!.name : null;
    if (single === null) return boundPorts(binding, env);
    let ports = portsOfBinding.get(single);
    if (ports === undefined) portsOfBinding.set(single, (ports = boundPorts(binding, env)));
    return ports;
  };
  for (const stage of Object.keys(stages) as AclStage[]) {
    always[stage] = [];
    for (const acl of stages[stage]) {
      const ports = acl.binding === null ? null : boundPortsCached(acl.binding);
      if (ports === null) {
        always[stage].push(acl);
        continue;
      }
      const byPort = bound[stage][acl.binding!.field];
      for (const port of ports) {
        const list = byPort.get(port);
        if (list) list.push(acl);
        else byPort.set(port, [acl]);
      }
    }
  }
  const candidates = (stage: AclStage, inport: string, outport: string): readonly PreparedAcl[] => {
    const all = always[stage];
    const byIn = bound[stage].inport.get(inport) ?? NONE;
    const byOut = bound[stage].outport.get(outport) ?? NONE;
    // One list (the usual case: a from-lport row names the inport, a to-lport row the outport) is
    // already in order; merging is for rows bound to both ports of a pair, or to none.
    if (byIn.length + byOut.length === 0) return all;
    if (all.length + byOut.length === 0) return byIn;
    if (all.length + byIn.length === 0) return byOut;
    return mergeInOrder([all, byIn, byOut], order);
  };
  const values = new Map<string, bigint>();
  const addressValue = (ip: string): bigint => {
    let value = values.get(ip);
    if (value === undefined) {
      value = parseIp(ip)!.value;
      values.set(ip, value);
    }
    return value;
  };
  return { stages, env, unattached, candidates, emulatedPasses: passes, addressValue };
}

const NONE: readonly PreparedAcl[] = [];
const NO_MATCH: CompiledMatch = () => false;

/** Merges lists that are each in evaluation order (disjoint) into one, in that order. */
function mergeInOrder(lists: readonly (readonly PreparedAcl[])[], order: ReadonlyMap<PreparedAcl, number>): readonly PreparedAcl[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
  const out: PreparedAcl[] = [];
  const at = nonEmpty.map(() => 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < nonEmpty.length; i++) {
      if (at[i]! < nonEmpty[i]!.length && (best < 0 || order.get(nonEmpty[i]![at[i]!]!)! < order.get(nonEmpty[best]![at[best]!]!)!)) best = i;
    }
    if (best < 0) return out;
    out.push(nonEmpty[best]![at[best]!]!);
    at[best]!++;
  }
}

function portBinding(match: MatchExpr): PreparedAcl['binding'] {
  const conjuncts = match.type === 'and' ? match.children : [match];
  for (const c of conjuncts) {
    if (c.type === 'compare' && c.op === '==' && (c.field === 'inport' || c.field === 'outport')) return { field: c.field, test: c };
  }
  return null;
}

/**
 * The ports a binding conjunct (`inport == @pg`, `outport == "p"`) admits, each once; null when
 * it names a port group that does not exist (the row stays a candidate everywhere, and its match
 * reports the reference).
 */
function boundPorts(binding: NonNullable<PreparedAcl['binding']>, env: MatchEnvironment): ReadonlySet<string> | null {
  if (binding.test.type !== 'compare') return null;
  const ports = new Set<string>();
  for (const v of binding.test.values) {
    if (v.kind === 'string') ports.add(v.value);
    else if (v.kind === 'portGroup') {
      const group = env.portGroup(v.name);
      if (!group) return null;
      for (const p of group) ports.add(p);
    } else return null;
  }
  return ports;
}

/** Tier ascending (tier 0 first), then priority descending: the order OVN consults ACLs. */
function evaluationOrder(a: PreparedAcl, b: PreparedAcl): number {
  return a.tier - b.tier || b.row.priority - a.row.priority;
}

/** OVN's automatic `<port group>_ip4` / `_ip6` address sets. */
function portGroupAddressSet(
  name: string,
  groups: ReadonlyMap<string, ReadonlySet<string>>,
  portAddresses: ReadonlyMap<string, readonly string[]>,
): readonly MaskedValue[] | undefined {
  const m = /^(.*)_ip([46])$/.exec(name);
  if (!m) return undefined;
  const ports = groups.get(m[1]!);
  if (!ports) return undefined;
  const family = Number(m[2]) as 4 | 6;
  const out: MaskedValue[] = [];
  for (const port of ports) {
    for (const text of portAddresses.get(port) ?? []) {
      const ip = parseIp(text);
      if (ip && ip.family === family) out.push({ value: ip.value, mask: null, form: family === 4 ? 'ipv4' : 'ipv6' });
    }
  }
  return out;
}
