import type { AclRow } from '../rows/index.js';
import type { Verdict } from './evaluateStage.js';
import type { FlowExplanation, FlowPath } from './explainFlow.js';
import { originOf, type DecidingRow } from './path.js';

/** The row that decided a flow, in the words a reviewer uses: which policy, which rule. */
export interface DecidingRule {
  /** The Service backend it was decided for (`NS/POD`), or null for a direct flow. */
  readonly backend: string | null;
  readonly action: AclRow['action'];
  readonly tier: number | null;
  readonly priority: number;
  /** `NetworkPolicy shop/web-ingress rule ingress/default-drop`, or the port group of a row nbgen did not write. */
  readonly rule: string;
}

/** What deciding rules read of an explanation (a traced path alone will do, as matrix has it). */
export type JudgedFlow = Pick<FlowExplanation, 'verdict' | 'service' | 'note'> & {
  readonly paths: readonly Pick<FlowPath, 'verdict' | 'decidingRows' | 'destination'>[];
};

/**
 * Why a flow got its verdict: for a deny, the row that dropped it (on the first backend that
 * drops, for a Service); for an allow, the rows that allowed it at each stage (none: no ACL
 * applied and OVN's default let it through).
 *
 *   decidingRules(explainFlow(...)) // [{ backend: null, action: 'drop', rule: 'NetworkPolicy x/deny rule ingress/default-drop', ... }]
 */
export function decidingRules(e: JudgedFlow): DecidingRule[] {
  const multi = e.service !== null;
  // One path decided by one row (most flows nbgen test judges): that row's rule, worked out once.
  const only = e.paths.length === 1 && !multi ? e.paths[0]! : null;
  if (only !== null && only.verdict === e.verdict && only.decidingRows.length === 1) return [directRuleOf(only.decidingRows[0]!.row)];
  const paths = e.verdict === 'deny' ? e.paths.filter((p) => p.verdict === 'deny').slice(0, 1) : e.paths;
  const seen = new Set<string>();
  const out: DecidingRule[] = [];
  for (const path of paths) {
    for (const d of path.decidingRows) {
      const rule = ruleText(d.row);
      const backend = multi ? path.destination.label : null;
      const key = `${multi && e.verdict === 'deny' ? backend : ''}|${rule}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ backend: e.verdict === 'deny' ? backend : null, action: d.row.action, tier: d.row.tier, priority: d.row.priority, rule });
    }
  }
  return out;
}

/**
 * decidingRules, read-only: a flow decided by one row on one path without a Service gets that
 * row's one-rule list, shared by every such flow (nbgen test keeps a list per flow).
 */
export function sharedDecidingRules(e: JudgedFlow): readonly DecidingRule[] {
  const only = e.paths.length === 1 && e.service === null ? e.paths[0]! : null;
  if (only === null || only.verdict !== e.verdict || only.decidingRows.length !== 1) return decidingRules(e);
  return oneRuleList(only.decidingRows[0]!.row);
}

/**
 * sharedDecidingRules of a flow with one path and no Service whose verdict is the path's (a pod to
 * a pod: judgePodFlow), from the path's deciding rows alone, with no explanation made for it.
 */
export function sharedPathRules(verdict: Verdict, rows: readonly DecidingRow[]): readonly DecidingRule[] {
  if (rows.length !== 1) return decidingRules({ verdict, service: null, note: null, paths: [{ verdict, decidingRows: rows, destination: NO_END }] });
  return oneRuleList(rows[0]!.row);
}

/** The one-rule list of a flow decided by `row` alone on a path without a Service, made once per row. */
function oneRuleList(row: AclRow): readonly DecidingRule[] {
  const rule = directRuleOf(row);
  let list = ruleLists.get(rule);
  if (list === undefined) ruleLists.set(rule, (list = Object.freeze([rule])));
  return list;
}

const ruleLists = new WeakMap<DecidingRule, readonly DecidingRule[]>();

// Read only for a Service's backends (decidingRules' `multi`), never for a path without one.
const NO_END: FlowPath['destination'] = { label: '', ip: '', logicalPort: '', port: null };

// A row decides many flows: its DecidingRule for a flow without a Service, and that rule's line
// for each verdict, are made once (both are read-only).
const directRules = new WeakMap<AclRow, DecidingRule>();
const ruleLines: Record<Verdict, WeakMap<DecidingRule, string>> = { allow: new WeakMap(), deny: new WeakMap() };

function directRuleOf(row: AclRow): DecidingRule {
  let rule = directRules.get(row);
  if (rule === undefined) directRules.set(row, (rule = { backend: null, action: row.action, tier: row.tier, priority: row.priority, rule: ruleText(row) }));
  return rule;
}

/** One line: `deny: NetworkPolicy x/a rule ingress/default-drop`; `allow: no ACL applies (OVN default)`. */
export function decidingRuleText(e: JudgedFlow, rules: readonly DecidingRule[] = decidingRules(e)): string {
  return ruleLine(e.verdict, e.note, rules);
}

/** decidingRuleText from the verdict, the explanation's note and the deciding rules. */
export function ruleLine(verdict: Verdict, note: string | null, rules: readonly DecidingRule[]): string {
  if (rules.length === 1 && !rules[0]!.backend) {
    const lines = ruleLines[verdict];
    let line = lines.get(rules[0]!);
    if (line === undefined) lines.set(rules[0]!, (line = `${verdict}: ${rules[0]!.rule}`));
    return line;
  }
  if (verdict === 'deny' && rules.length === 0) return `deny: ${note ?? 'no path'}`;
  if (rules.length === 0) return `${verdict}: no ACL applies (OVN default)`;
  const via = rules[0]!.backend ? ` (backend ${rules[0]!.backend})` : '';
  return `${verdict}: ${rules.map((r) => r.rule).join(' + ')}${via}`;
}

/**
 * decidingRuleText of a flow with one path and no Service (pod or address to pod or address),
 * from the path's verdict and deciding rows alone: what matrix and impact show for each cell.
 */
export function directRuleText(verdict: Verdict, rows: readonly AclRow[]): string {
  if (rows.length === 0) return verdict === 'deny' ? 'deny: no path' : `${verdict}: no ACL applies (OVN default)`;
  if (rows.length === 1) return `${verdict}: ${ruleText(rows[0]!)}`;
  return `${verdict}: ${[...new Set(rows.map(ruleText))].join(' + ')}`;
}

// Rows are frozen: each one's words are worked out once however many flows it decides.
const ruleTexts = new WeakMap<AclRow, string>();

function ruleText(row: AclRow): string {
  let text = ruleTexts.get(row);
  if (text === undefined) {
    text = ruleTextOf(row);
    ruleTexts.set(row, text);
  }
  return text;
}

function ruleTextOf(row: AclRow): string {
  const origin = originOf(row);
  if (!origin) return `port group ${row.portGroup}${row.name ? ` (${row.name})` : ''}`;
  const name = `${origin.namespace ? `${origin.namespace}/` : ''}${origin.name}`;
  return `${origin.kind} ${name}${origin.rule ? ` rule ${origin.rule}` : ''}`;
}
