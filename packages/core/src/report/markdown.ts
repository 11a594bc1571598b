import type { ReportPage } from './page.js';
import { columnsOf, tableTotals } from './page.js';

const MARK = { allow: '✓', deny: '✗', none: '–', self: '∘' } as const;

/**
 * `nbgen matrix -o markdown`: per table, one row and column per workload (columns numbered like
 * the rows so wide clusters still render), ✓ allowed, ✗ denied, and the totals in pod pairs.
 */
export function formatReportMarkdown(page: ReportPage): string {
  const out = [`**${page.title}**: ${page.summary}`];
  for (const t of page.tables) {
    const totals = tableTotals(t);
    out.push('', `**${t.title}**: ${totals.allowed} pod pairs allowed, ${totals.denied} denied`, '');
    out.push(`| from \\ to | ${columnsOf(t).map((_, i) => String(i + 1)).join(' | ')} |`);
    out.push(`|---|${columnsOf(t).map(() => ':-:').join('|')}|`);
    t.cells.forEach((row, i) => {
      const g = t.groups[i]!;
      out.push(`| ${i + 1} ${md(g.label)} (${g.pods}) | ${row.map((c) => MARK[c.verdict]).join(' | ')} |`);
    });
    // Columns that are not the rows are named under the table.
    if (t.columns) out.push('', `columns: ${t.columns.map((c, i) => `${i + 1} ${md(c.label)}`).join(', ')}`);
  }
  out.push('', '✓ allowed, ✗ denied, – no common address family, ∘ a single pod to itself; rows: from, columns: to (numbered like the rows); (N) pods in the workload');
  return `${out.join('\n')}\n`;
}

const md = (text: string): string => text.replace(/\|/g, '\\|').replace(/([*_`])/g, '\\$1');
