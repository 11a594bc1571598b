import type { Impact, ImpactChange } from './impact.js';

const portText = (c: ImpactChange): string => `${c.protocol}/${c.otherPort ? `${c.port} (any other port)` : c.port}`;
const familyText = (c: ImpactChange): string => c.families.map((f) => `IPv${f}`).join('+');
const podsText = (n: number): string => `${n} pod${n === 1 ? '' : 's'}`;
const endText = (e: ImpactChange['from']): string => (e.kind === 'pods' ? `${e.label} (${podsText(e.pods)})` : e.label);
const rule = (text: string): string => text.replace(/^(allow|deny): /, '');

/** `2 flow groups change: 1 opened, 1 closed (of 1234 flows compared)` */
export function impactSummary(impact: Impact): string {
  const opened = impact.changes.filter((c) => c.change === 'opened').length;
  const closed = impact.changes.length - opened;
  if (impact.changes.length === 0) return `no change: ${impact.flowsCompared} flows compared, every verdict the same`;
  return `${impact.changes.length} change${impact.changes.length === 1 ? '' : 's'}: ${opened} opened, ${closed} closed (of ${impact.flowsCompared} flows compared)`;
}

/**
 * One paragraph per change:
 *   CLOSED  shop/api-* (2 pods) -> shop/db-0 (1 pod)  TCP/5432  IPv4+IPv6
 *     after:  NetworkPolicy shop/db-ingress rule ingress/default-drop
 *     before: NetworkPolicy shop/db-ingress rule ingress/0/ip4/tcp-5432
 */
export function formatImpactText(impact: Impact): string {
  const out: string[] = [];
  for (const c of impact.changes) {
    out.push(`${c.change.toUpperCase().padEnd(6)}  ${endText(c.from)} -> ${endText(c.to)}  ${portText(c)}  ${familyText(c)}`);
    out.push(`  after:  ${rule(c.after)}`, `  before: ${rule(c.before)}`);
  }
  out.push(impactSummary(impact));
  return `${out.join('\n')}\n`;
}

export function impactToJson(impact: Impact) {
  return {
    flowsCompared: impact.flowsCompared,
    opened: impact.changes.filter((c) => c.change === 'opened').length,
    closed: impact.changes.filter((c) => c.change === 'closed').length,
    changes: impact.changes.map((c) => ({
      change: c.change,
      from: { label: c.from.label, kind: c.from.kind, pods: c.from.pods },
      to: { label: c.to.label, kind: c.to.kind, pods: c.to.pods },
      protocol: c.protocol,
      port: c.port,
      otherPort: c.otherPort,
      families: c.families,
      after: c.after,
      before: c.before,
    })),
  };
}

/**
 * For a pull-request comment: a summary line, then a table of at most `limit` rows and how many
 * were left out (comments have a size limit; the full list is in `-o json`).
 */
export function formatImpactMarkdown(impact: Impact, limit = 50): string {
  const out = [`**nbgen impact**: ${impactSummary(impact)}`];
  if (impact.changes.length > 0) {
    out.push('', '| | from | to | port | family | decided after by | before by |', '|---|---|---|---|---|---|---|');
    for (const c of impact.changes.slice(0, limit)) {
      const mark = c.change === 'opened' ? '🟢 opened' : '🔴 closed';
      out.push(`| ${mark} | ${md(endText(c.from))} | ${md(endText(c.to))} | ${md(portText(c))} | ${familyText(c)} | ${md(rule(c.after))} | ${md(rule(c.before))} |`);
    }
    const left = impact.changes.length - limit;
    if (left > 0) out.push('', `… and ${left} more change${left === 1 ? '' : 's'} (see \`nbgen impact -o json\`)`);
  }
  return `${out.join('\n')}\n`;
}

const md = (text: string): string => text.replace(/\|/g, '\\|').replace(/([*_`])/g, '\\$1');
