import type { Value } from '../notation/value.js';
import { planCounts, type ColumnChange, type ReconcilePlan } from './reconcilePlan.js';

/**
 * A plan as a reader wants it, like `kubectl diff`: `+` rows that will be created, `~` rows that
 * change (each column old → new; sets as members gained and lost), `-` rows that will be deleted.
 */
export function formatPlan(plan: ReconcilePlan): string {
  const lines: string[] = [];
  for (const insert of plan.inserts) {
    lines.push(`+ ${insert.label}`);
    for (const [column, value] of Object.entries(insert.columns)) {
      if (value === null || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)) continue;
      if (column === 'ports' && insert.table === 'Port_Group') {
        lines.push(`    ports: ${(insert.row as { ports: readonly string[] }).ports.length} (${(value as readonly string[]).length} in the NB)`);
        continue;
      }
      lines.push(`    ${column}: ${show(value as Value)}`);
    }
    if (insert.parent) lines.push(`    in ${insert.parent.table} ${insert.parent.name} ${insert.parent.column}`);
    for (const m of insert.memberOf) lines.push(`    in ${m.table} ${m.name} ${m.column}`);
  }
  for (const update of plan.updates) {
    lines.push(`~ ${update.label}`);
    for (const change of update.changes) lines.push(`    ${formatChange(change)}`);
    for (const m of update.memberOf) lines.push(`    ${m.op === 'insert' ? '+' : '-'} in ${m.table} ${m.name} ${m.column}`);
  }
  for (const d of plan.deletes) lines.push(`- ${d.label}`);
  for (const w of plan.warnings) lines.push(`! ${w}`);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function formatChange(change: ColumnChange): string {
  if (change.set) {
    const added = change.names?.added ?? change.set.added.map(String);
    const removed = change.names?.removed ?? change.set.removed.map(String);
    return `${change.column}: ${[...added.map((a) => `+${JSON.stringify(a)}`), ...removed.map((r) => `-${JSON.stringify(r)}`)].join(' ')}`;
  }
  return `${change.column}: ${show(change.old)} → ${show(change.new)}`;
}

function show(value: Value): string {
  if (value === null) return '(empty)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
  const map = value as Readonly<Record<string, unknown>>;
  return `{${Object.keys(map)
    .sort()
    .map((k) => `${JSON.stringify(k)}=${JSON.stringify(map[k])}`)
    .join(', ')}}`;
}

/** `inserted / updated / deleted` per table that changed, e.g. `ACL: 12 inserted, 1 updated, 0 deleted`. */
export function formatCounts(plan: ReconcilePlan): string {
  const lines: string[] = [];
  for (const [table, c] of Object.entries(planCounts(plan))) {
    if (c.inserted + c.updated + c.deleted === 0) continue;
    lines.push(`${table}: ${c.inserted} inserted, ${c.updated} updated, ${c.deleted} deleted`);
  }
  return lines.length === 0 ? 'no changes\n' : `${lines.join('\n')}\n`;
}
