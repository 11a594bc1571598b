import type { AclRow, NbRows } from '../rows/index.js';
import type { MatchExpr } from './match/ast.js';
import {
  parseAddressSetEntries,
  MatchReferenceError,
  type MaskedValue,
  type MatchEnvironment,
} from './match/evaluate.js';
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
}

/**
 * `portAddresses` maps a logical switch port name to its IPs (OVN fills `<pg>_ip4`/`<pg>_ip6`
 * address sets from the ports' addresses).
 * Assumption: every port is on one logical switch, so the ACLs of every port group with at least
 * one port apply to every packet (ovn-nb(5): a port group's ACLs apply to all switches its ports
 * belong to). Rows decide by their match, exactly as on that switch.
 */
export function buildAclProgram(rows: NbRows, portAddresses: ReadonlyMap<string, readonly string[]>): AclProgram {
  const groups = new Map<string, ReadonlySet<string>>();
  for (const pg of rows.portGroups) groups.set(pg.name, new Set(pg.ports));
  const sets = new Map<string, readonly MaskedValue[] | MatchReferenceError>();
  for (const as of rows.addressSets) {
    try {
      sets.set(as.name, parseAddressSetEntries(as.addresses));
    } catch (e) {
      if (!(e instanceof MatchReferenceError)) throw e;
      sets.set(as.name, e);
    }
  }
  const env: MatchEnvironment = {
    portGroup: (name) => groups.get(name),
    addressSet: (name) => {
      const hit = sets.get(name) ?? portGroupAddressSet(name, groups, portAddresses);
      if (hit instanceof MatchReferenceError) throw hit;
      if (hit) sets.set(name, hit);
      return hit;
    },
  };
  const cache = new Map<string, MatchExpr | MatchSyntaxError>();
  const stages: Record<AclStage, PreparedAcl[]> = { 'from-lport': [], 'from-lport-after-lb': [], 'to-lport': [] };
  const unattached: AclRow[] = [];
  for (const row of rows.acls) {
    if ((groups.get(row.portGroup)?.size ?? 0) === 0) {
      unattached.push(row);
      continue;
    }
    let match: MatchExpr | null = null;
    let error: string | null = null;
    try {
      match = parseMatchCached(row.match, cache);
    } catch (e) {
      if (!(e instanceof MatchSyntaxError)) throw e;
      error = e.message;
    }
    const stage = stageOf(row);
    stages[stage].push({ row, stage, tier: row.tier ?? 0, match, error, binding: match ? portBinding(match) : null });
  }
  for (const list of Object.values(stages)) list.sort(evaluationOrder);
  const candidateCache = new Map<string, readonly PreparedAcl[]>();
  const candidates = (stage: AclStage, inport: string, outport: string): readonly PreparedAcl[] => {
    const key = `${stage}\u0000${inport}\u0000${outport}`;
    let hit = candidateCache.get(key);
    if (!hit) {
      const ports = { inport, outport };
      hit = stages[stage].filter((acl) => acl.binding === null || bindingHolds(acl.binding, ports[acl.binding.field], env));
      candidateCache.set(key, hit);
    }
    return hit;
  };
  return { stages, env, unattached, candidates };
}

function portBinding(match: MatchExpr): PreparedAcl['binding'] {
  const conjuncts = match.type === 'and' ? match.children : [match];
  for (const c of conjuncts) {
    if (c.type === 'compare' && c.op === '==' && (c.field === 'inport' || c.field === 'outport')) return { field: c.field, test: c };
  }
  return null;
}

/** Evaluates only the binding conjunct; a reference OVN could not resolve leaves the row in. */
function bindingHolds(binding: NonNullable<PreparedAcl['binding']>, port: string, env: MatchEnvironment): boolean {
  if (binding.test.type !== 'compare') return true;
  return binding.test.values.some((v) => {
    if (v.kind === 'string') return v.value === port;
    if (v.kind === 'portGroup') return env.portGroup(v.name)?.has(port) ?? true;
    return true;
  });
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
