import type { AclRow, NbRows } from '../rows/index.js';
import type { MatchExpr } from '../match/ast.js';
import { compileMatch, type CompiledMatch } from './match/compile.js';
import { parseAddressSetEntries, MatchReferenceError, type MaskedValue, type MatchEnvironment, type Packet } from './match/evaluate.js';
import { MatchSyntaxError } from './match/lexer.js';
import { MatchParseCache } from './match/parser.js';
import { parseIp } from '../net/ip.js';
import { formatMatchExpr } from '../match/print.js';

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
   * MatchReferenceError when OVN would install no flow for it. Only for rows with a match, and
   * for packets whose port candidates() offers the row: a row filed under its port group does not
   * test its binding again.
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

/** A logical switch port's name → its IPs. */
export type PortAddresses = ReadonlyMap<string, readonly string[]>;

/**
 * The tree a row's match text parses to, when the caller already holds it (the tree the compiler
 * printed it from, handed out by CompileOptions.onMatchTree); undefined: parse the text. explain always parses, so it
 * stays a check on the compiler's text; nbgen test takes the compiler's trees.
 */
export type SharedTree = (row: AclRow) => MatchExpr | undefined;
const NO_SHARED_TREE: SharedTree = () => undefined;

/**
 * `portAddresses` maps a logical switch port name to its IPs (OVN fills `<pg>_ip4`/`<pg>_ip6`
 * address sets from the ports' addresses); given as a function, it is called when a row first
 * reads such a set (only tier passes do: nbgen test on NetworkPolicies never builds the map).
 * Assumption: every port is on one logical switch, so the ACLs of every port group with at least
 * one port apply to every packet (ovn-nb(5): a port group's ACLs apply to all switches its ports
 * belong to). Rows decide by their match, exactly as on that switch.
 */
export function buildAclProgram(
  rows: NbRows,
  portAddresses: PortAddresses | (() => PortAddresses),
  emulatedPasses: readonly AclRow[] = [],
  sharedTree: SharedTree = NO_SHARED_TREE,
): AclProgram {
  // A port group's ports as a set only when a row's match reads it (nbgen test evaluates a
  // fraction of the rows; the candidate index reads the lists).
  const groupPorts = new Map<string, readonly string[]>();
  // Indexed loops over the rows: run once, mostly before the optimizing compiler steps in, where
  // for-of makes an iterator result per row (7,069 ACLs, 1,350 sets here).
  for (let i = 0; i < rows.portGroups.length; i++) groupPorts.set(rows.portGroups[i]!.name, rows.portGroups[i]!.ports);
  const groupSets = new Map<string, ReadonlySet<string>>();
  const portGroup = (name: string): ReadonlySet<string> | undefined => {
    let ports = groupSets.get(name);
    if (ports === undefined) {
      const list = groupPorts.get(name);
      if (list === undefined) return undefined;
      groupSets.set(name, (ports = new Set(list)));
    }
    return ports;
  };
  // Address sets are parsed when a row first reads them (nbgen test reads few of thousands).
  const unparsed = new Map<string, readonly string[]>();
  for (let i = 0; i < rows.addressSets.length; i++) unparsed.set(rows.addressSets[i]!.name, rows.addressSets[i]!.addresses);
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
  let addressesByPort = typeof portAddresses === 'function' ? null : portAddresses;
  const addressesOfPorts = (): PortAddresses => (addressesByPort ??= (portAddresses as () => PortAddresses)());
  const env: MatchEnvironment = {
    portGroup,
    addressSet: (name) => {
      const hit = sets.get(name) ?? parsedSet(name) ?? portGroupAddressSet(name, portGroup, addressesOfPorts);
      if (hit) sets.set(name, hit);
      if (hit instanceof MatchReferenceError) throw hit;
      return hit;
    },
  };
  const parser = new MatchParseCache();
  // Filed rows' tests by the text of what is left once the binding is left out: policies with the
  // same rules on other pods differ only in their group (nbgen test compiles about 2,080 rows, 468
  // distinct rests). Equal texts parse to the same match, so one compiled test serves them all.
  const sameRest = new Map<string, CompiledMatch>();
  const stages: Record<AclStage, PreparedRow[]> = { 'from-lport': [], 'from-lport-after-lb': [], 'to-lport': [] };
  const passes: Record<AclStage, PreparedRow[]> = { 'from-lport': [], 'from-lport-after-lb': [], 'to-lport': [] };
  const unattached: AclRow[] = [];
  const prepare = (row: AclRow, into: Record<AclStage, PreparedRow[]>): void => {
    let match: MatchExpr | null = sharedTree(row) ?? null;
    let error: string | null = null;
    if (match === null) {
      try {
        match = parser.parse(row.match);
      } catch (e) {
        if (!(e instanceof MatchSyntaxError)) throw e;
        error = e.message;
      }
    }
    const stage = stageOf(row);
    const binding = match ? portBinding(match) : null;
    // A row filed under its port group is a candidate only for the group's ports, so its
    // `inport/outport == @group` is true whenever it is tested: it is left out of the compiled
    // test (a conjunct that is true and names an existing group changes no answer and throws no
    // error, wherever it stands). Emulated passes are not filed: they keep the whole match.
    const group = match !== null && into === stages ? filingGroup(binding, groupPorts) : null;
    into[stage].push(new PreparedRow(row, stage, match, error, binding, group, env, sameRest));
  };
  for (let i = 0; i < rows.acls.length; i++) {
    const row = rows.acls[i]!;
    if ((groupPorts.get(row.portGroup)?.length ?? 0) === 0) {
      unattached.push(row);
      continue;
    }
    prepare(row, stages);
  }
  for (const row of emulatedPasses) if ((groupPorts.get(row.portGroup)?.length ?? 0) > 0) prepare(row, passes);
  for (const list of [...Object.values(stages), ...Object.values(passes)]) list.sort(evaluationOrder);
  // Candidates for a pair of ports: the rows bound to neither port, the rows bound (inport ==)
  // to the inport, and those bound to the outport, merged back into evaluation order. The lists
  // are kept per port, not per pair (a matrix of n ports asks for n² pairs), and worked out for a
  // port when it is first asked for: a policy's rows bind to its port group, so they are filed by
  // group, and a port's list gathers the rows of its groups. (Filing every row under every port
  // of its group made 380,000 entries for 10,000 pods and 1,000 policies; their ports fall in
  // 740 distinct sets of groups.)
  // Each row's rank, for merging lists: made when a pair first needs a merge (rows bound to both
  // ports, or to none), which nbgen test on NetworkPolicies never does (7,069 entries).
  let order: Map<PreparedAcl, number> | null = null;
  const orderOf = (): ReadonlyMap<PreparedAcl, number> => {
    if (order === null) {
      order = new Map<PreparedAcl, number>();
      for (const list of Object.values(stages)) list.forEach((acl, i) => order!.set(acl, i));
    }
    return order;
  };
  const index = {} as Record<AclStage, Record<'inport' | 'outport', BindingIndex>>;
  const always = {} as Record<AclStage, PreparedAcl[]>;
  for (const stage of ACL_STAGES) {
    index[stage] = { inport: new BindingIndex(stages[stage]), outport: new BindingIndex(stages[stage]) };
    always[stage] = [];
    stages[stage].forEach((acl, rank) => {
      const binding = acl.binding;
      // The usual binding, `inport == @pg` of a group that exists: filed under the group.
      const group = acl.filedUnder;
      if (group !== null) {
        index[stage][binding!.field].addToGroup(group, rank);
        return;
      }
      // Any other: filed under each port it admits; a binding naming no known group (null) stays
      // a candidate for every port.
      const ports = binding === null ? null : boundPorts(binding, env);
      if (ports === null) always[stage].push(acl);
      else index[stage][binding!.field].addToPorts(ports, rank);
    });
  }
  // Port → the groups it is in that have bound rows, built on the first question. Ports in the
  // same groups share one PortGroups (a namespace's pods mostly do), so their rows are gathered
  // once.
  let groupsOfPort: Map<string, PortGroups> | null = null;
  const groupsOf = (port: string): PortGroups => {
    if (groupsOfPort === null) {
      const bound = new Set<string>();
      for (const stage of ACL_STAGES) for (const field of ['inport', 'outport'] as const) for (const g of index[stage][field].groups()) bound.add(g);
      // Groups of policies that select the same pods share one list of ports (the compiler's
      // selections are cached: 740 distinct lists for 1,000 groups here), so each list is walked
      // once, for all its groups. A port's key is the short list of those lists' numbers.
      const groupsOfList = new Map<readonly string[], string[]>();
      for (const g of bound) {
        const ports = groupPorts.get(g)!;
        const groups = groupsOfList.get(ports);
        if (groups === undefined) groupsOfList.set(ports, [g]);
        else groups.push(g);
      }
      // Indexed loops and forEach: this runs once, mostly before the optimizing compiler steps in,
      // where for-of makes an iterator result per membership (54,000 here).
      const lists = new Map<string, number[]>();
      const classes: string[][] = [];
      groupsOfList.forEach((groups, ports) => {
        const id = classes.push(groups) - 1;
        for (let i = 0; i < ports.length; i++) {
          const p = ports[i]!;
          const list = lists.get(p);
          if (list === undefined) lists.set(p, [id]);
          else if (list[list.length - 1] !== id) list.push(id);
        }
      });
      // Each port's list of numbers is replaced by its PortGroups in the same map (setting a key
      // it holds adds no entry: no second map of 10,000 ports).
      const interned = new Map<string, PortGroups>();
      const byPort = lists as Map<string, number[] | PortGroups>;
      lists.forEach((ids, p) => {
        const key = ids.join();
        let shared = interned.get(key);
        if (shared === undefined) {
          const groups: string[] = [];
          for (let i = 0; i < ids.length; i++) groups.push(...classes[ids[i]!]!);
          interned.set(key, (shared = { groups }));
        }
        byPort.set(p, shared);
      });
      groupsOfPort = byPort as Map<string, PortGroups>;
    }
    return groupsOfPort.get(port) ?? NO_GROUPS;
  };
  const candidates = (stage: AclStage, inport: string, outport: string): readonly PreparedAcl[] => {
    const all = always[stage];
    const byIn = index[stage].inport.rowsOf(inport, groupsOf);
    const byOut = index[stage].outport.rowsOf(outport, groupsOf);
    // One list (the usual case: a from-lport row names the inport, a to-lport row the outport) is
    // already in order; merging is for rows bound to both ports of a pair, or to none.
    if (byIn.length + byOut.length === 0) return all;
    if (all.length + byOut.length === 0) return byIn;
    if (all.length + byIn.length === 0) return byOut;
    return mergeInOrder([all, byIn, byOut], orderOf());
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

/**
 * One object per row, its test compiled on first use (7,069 rows, about 2,000 of them ever
 * tested by nbgen test's 10,000 flows: no closures per row).
 */
class PreparedRow implements PreparedAcl {
  readonly tier: number;
  private compiled: CompiledMatch | null = null;

  constructor(
    readonly row: AclRow,
    readonly stage: AclStage,
    readonly match: MatchExpr | null,
    readonly error: string | null,
    readonly binding: PreparedAcl['binding'],
    /** The port group the row is filed under (filingGroup, worked out once), or null; its binding is left out of the test. */
    readonly filedUnder: string | null,
    private readonly env: MatchEnvironment,
    /** Compiled tests of filed rows by the text of their match without the binding (shared by the program's rows). */
    private readonly sameRest: Map<string, CompiledMatch>,
  ) {
    this.tier = row.tier ?? 0;
  }

  /** The binding conjunct left out of the test (the row is filed under its port group), or null. */
  private get skipped(): MatchExpr | null {
    return this.filedUnder === null ? null : this.binding!.test;
  }

  test(packet: Packet): boolean {
    return (this.compiled ??= this.compile())(packet);
  }

  private compile(): CompiledMatch {
    if (this.match === null) return NO_MATCH;
    if (this.skipped === null) return compileMatch(this.match, this.env);
    const rest = this.match.type === 'and' && this.match.children[0] === this.skipped ? restText(this.row.match, this.skipped) : null;
    if (rest === null) return compileMatch(withoutConjunct(this.match, this.skipped), this.env);
    let test = this.sameRest.get(rest);
    if (test === undefined) this.sameRest.set(rest, (test = compileMatch(withoutConjunct(this.match, this.skipped), this.env)));
    return test;
  }
}

/**
 * The text of a match after its binding conjunct (the tree's first top-level conjunct), when the
 * text starts with that conjunct as formatMatchExpr prints it, followed by ` && ` (as the compiler
 * prints every row); else null (the row is compiled on its own). The text after ` && ` is then the
 * other top-level conjuncts in order: what is left to test.
 */
function restText(match: string, binding: MatchExpr): string | null {
  const prefix = `${formatMatchExpr(binding)} && `;
  return match.startsWith(prefix) ? match.slice(prefix.length) : null;
}

const NONE: readonly PreparedAcl[] = [];
/** The port groups a port is in (one object per distinct list). */
interface PortGroups {
  readonly groups: readonly string[];
}
const NO_GROUPS: PortGroups = { groups: [] };
const NO_MATCH: CompiledMatch = () => false;

/**
 * The rows of one stage bound to one field (`inport` or `outport`), by port: filed by port group
 * or by port, as their ranks in the stage's evaluation order, and gathered per port on first use.
 */
class BindingIndex {
  private readonly byGroup = new Map<string, number[]>();
  private readonly byPort = new Map<string, number[]>();
  /** Rows of ports that have rows of their own (bound by name, not by group). */
  private readonly cache = new Map<string, readonly PreparedAcl[]>();
  private readonly byGroups = new Map<PortGroups, readonly PreparedAcl[]>();

  constructor(private readonly ordered: readonly PreparedAcl[]) {}

  addToGroup(group: string, rank: number): void {
    const list = this.byGroup.get(group);
    if (list) list.push(rank);
    else this.byGroup.set(group, [rank]);
  }

  addToPorts(ports: ReadonlySet<string>, rank: number): void {
    for (const port of ports) {
      const list = this.byPort.get(port);
      if (list) list.push(rank);
      else this.byPort.set(port, [rank]);
    }
  }

  groups(): Iterable<string> {
    return this.byGroup.keys();
  }

  /** The rows bound to `port`, each once, in evaluation order. */
  rowsOf(port: string, groupsOf: (port: string) => PortGroups): readonly PreparedAcl[] {
    if (this.byGroup.size === 0 && this.byPort.size === 0) return NONE;
    const groups = this.byGroup.size > 0 ? groupsOf(port) : NO_GROUPS;
    // A port without rows of its own has the rows of its groups, kept per set of groups (740
    // sets for 10,000 ports): nothing is stored per port.
    const own = this.byPort.size > 0 ? this.byPort.get(port) : undefined;
    if (own === undefined) {
      let rows = this.byGroups.get(groups);
      if (rows === undefined) this.byGroups.set(groups, (rows = this.gather(groups, NO_RANKS)));
      return rows;
    }
    let rows = this.cache.get(port);
    if (rows === undefined) this.cache.set(port, (rows = this.gather(groups, own)));
    return rows;
  }

  private gather({ groups }: PortGroups, own: readonly number[]): readonly PreparedAcl[] {
    const lists: (readonly number[])[] = [];
    for (let i = 0; i < groups.length; i++) {
      const list = this.byGroup.get(groups[i]!);
      if (list) lists.push(list);
    }
    if (own.length > 0) lists.push(own);
    // A row is filed under one group or under its ports: the ranks are distinct, and sorted they
    // are the evaluation order.
    if (lists.length === 0) return NONE;
    let ranks: ArrayLike<number> = lists[0]!;
    if (lists.length > 1) {
      let total = 0;
      for (let i = 0; i < lists.length; i++) total += lists[i]!.length;
      const all = new Int32Array(total);
      for (let i = 0, at = 0; i < lists.length; at += lists[i]!.length, i++) all.set(lists[i]!, at);
      ranks = all.sort();
    }
    const rows = new Array<PreparedAcl>(ranks.length);
    for (let i = 0; i < ranks.length; i++) rows[i] = this.ordered[ranks[i]!]!;
    return rows;
  }
}

const NO_RANKS: readonly number[] = [];

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

/** The port group a row is filed under: its binding is `inport/outport == @group` of a group that exists. */
function filingGroup(binding: PreparedAcl['binding'], groupPorts: ReadonlyMap<string, readonly string[]>): string | null {
  const test = binding?.test;
  if (test?.type !== 'compare' || test.values.length !== 1 || test.values[0]!.kind !== 'portGroup') return null;
  const group = test.values[0]!.name;
  return groupPorts.has(group) ? group : null;
}

/** `match` without one of its top-level conjuncts (`true` when it was the whole match). */
function withoutConjunct(match: MatchExpr, conjunct: MatchExpr): MatchExpr {
  if (match === conjunct) return TRUE_MATCH;
  if (match.type !== 'and') return match;
  const rest = match.children.filter((c) => c !== conjunct);
  return rest.length === 1 ? rest[0]! : { type: 'and', children: rest };
}

const TRUE_MATCH: MatchExpr = { type: 'bool', value: true };

function portBinding(match: MatchExpr): PreparedAcl['binding'] {
  const conjuncts = match.type === 'and' ? match.children : [match];
  for (let i = 0; i < conjuncts.length; i++) {
    const c = conjuncts[i]!;
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
  portGroup: (name: string) => ReadonlySet<string> | undefined,
  portAddresses: () => PortAddresses,
): readonly MaskedValue[] | undefined {
  const m = /^(.*)_ip([46])$/.exec(name);
  if (!m) return undefined;
  const ports = portGroup(m[1]!);
  if (!ports) return undefined;
  const family = Number(m[2]) as 4 | 6;
  const out: MaskedValue[] = [];
  const addresses = portAddresses();
  for (const port of ports) {
    for (const text of addresses.get(port) ?? []) {
      const ip = parseIp(text);
      if (ip && ip.family === family) out.push({ value: ip.value, mask: null, form: family === 4 ? 'ipv4' : 'ipv6' });
    }
  }
  return out;
}
