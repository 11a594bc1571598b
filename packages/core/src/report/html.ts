import { columnsOf, podPairs, tableTotals, type ReportCell, type ReportGroup, type ReportPage, type ReportTable } from './page.js';

/**
 * One self-contained HTML page (inline CSS and script, no network access, opens from disk): per
 * table the matrix grouped by namespace, allowed/denied in colour, changed cells marked, the
 * deciding rule on hover (title) and on click (the detail panel); a legend and the totals.
 * `#cell=T-R-C` in the address selects a cell on load, so a link can point at one.
 */
export function renderReportHtml(page: ReportPage): string {
  const tables = page.tables.map((t, i) => renderTable(t, i)).join('\n');
  const other =
    page.otherChanges.length === 0
      ? ''
      : `<section><h2>Other changes (Service VIPs, outside addresses)</h2><ul class="other">${page.otherChanges.map((l) => `<li>${esc(l)}</li>`).join('')}</ul></section>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(page.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(page.title)}</h1>
<p id="summary">${esc(page.summary)}</p>
<div class="legend" id="legend">
<span><i class="sw allow">✓</i> allowed</span>
<span><i class="sw deny">✗</i> denied</span>
<span><i class="sw none">–</i> no common address family</span>
<span><i class="sw self">∘</i> a single pod to itself (loopback, never in OVN)</span>
<span><i class="sw allow changed opened">✓</i> opened by the change</span>
<span><i class="sw deny changed closed">✗</i> closed by the change</span>
<span>rows: from, columns: to; a cell stands for every pod of its row's workload to every pod of its column's. Hover or click a cell for the rule that decides it.</span>
</div>
</header>
<aside id="detail" aria-live="polite">Click a cell to see the rule that decides it.</aside>
<main>
${tables}
${other}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function renderTable(t: ReportTable, index: number): string {
  const totals = tableTotals(t);
  const spans = (groups: readonly ReportGroup[]): { name: string; span: number }[] => {
    const out: { name: string; span: number }[] = [];
    for (const g of groups) {
      const last = out[out.length - 1];
      if (last && last.name === g.namespace) last.span++;
      else out.push({ name: g.namespace, span: 1 });
    }
    return out;
  };
  const namespaces = spans(t.groups);
  const short = (label: string, ns: string): string => (label.startsWith(`${ns}/`) ? label.slice(ns.length + 1) : label);
  const nsRow = `<tr><th class="corner" colspan="2" rowspan="2">from \\ to</th>${spans(columnsOf(t)).map((n) => `<th class="ns" colspan="${n.span}">${esc(n.name)}</th>`).join('')}</tr>`;
  const colRow = `<tr>${columnsOf(t).map((g) => `<th class="col" title="${esc(`${g.label} (${g.pods} pods)`)}"><span>${esc(short(g.label, g.namespace))} <small>${g.pods}</small></span></th>`).join('')}</tr>`;
  let nsIndex = 0;
  let nsLeft = 0;
  const rows = t.cells.map((row, i) => {
    const g = t.groups[i]!;
    let nsCell = '';
    if (nsLeft === 0) {
      const n = namespaces[nsIndex++]!;
      nsLeft = n.span;
      nsCell = `<th class="ns rowns" rowspan="${n.span}">${esc(n.name)}</th>`;
    }
    nsLeft--;
    const cells = row.map((cell, j) => renderCell(cell, t, index, i, j)).join('');
    return `<tr>${nsCell}<th class="row" title="${esc(`${g.label} (${g.pods} pods)`)}">${esc(short(g.label, g.namespace))} <small>${g.pods}</small></th>${cells}</tr>`;
  });
  const changed = totals.opened + totals.closed > 0 ? `; changed: <b class="t-opened">${totals.opened} opened</b>, <b class="t-closed">${totals.closed} closed</b>` : '';
  return `<section class="table" id="t${index}">
<h2>${esc(t.title)}</h2>
<p class="totals">pod pairs: <b class="t-allow">${totals.allowed} allowed</b>, <b class="t-deny">${totals.denied} denied</b>${changed} (${t.groups.length} workloads)</p>
<div class="scroll"><table class="matrix">
<thead>${nsRow}${colRow}</thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></div>
</section>`;
}

const MARK: Record<ReportCell['verdict'], string> = { allow: '✓', deny: '✗', none: '–', self: '∘' };

function renderCell(cell: ReportCell, t: ReportTable, table: number, i: number, j: number): string {
  const from = t.groups[i]!;
  const to = columnsOf(t)[j]!;
  const pairs = podPairs(from, to, !t.columns && i === j);
  const head = `${from.label} → ${to.label}, ${t.title}: ${cell.verdict === 'self' ? 'loopback' : cell.verdict}${cell.change ? ` (${cell.change})` : ''}`;
  const lines = [head, `${pairs} pod pair${pairs === 1 ? '' : 's'}`];
  if (cell.rule) lines.push(`decided by: ${cell.rule.replace(/^(allow|deny): /, '')}`);
  if (cell.before) lines.push(`before: ${cell.before}`);
  const classes = ['c', cell.verdict, ...(cell.change ? ['changed', cell.change] : [])].join(' ');
  return `<td class="${classes}" id="cell-${table}-${i}-${j}" tabindex="0" title="${esc(lines.join('\n'))}">${MARK[cell.verdict]}</td>`;
}

const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const CSS = `
:root { --allow: #2e7d32; --allow-bg: #c8e6c9; --deny: #b71c1c; --deny-bg: #ffcdd2; --none-bg: #eeeeee; --changed: #ff9800; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #212121; background: #fafafa; }
header { padding: 16px 24px 8px; background: #fff; border-bottom: 1px solid #ddd; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 16px 0 4px; }
main { padding: 0 24px 120px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin-top: 8px; color: #555; }
.sw { display: inline-block; width: 20px; height: 20px; line-height: 20px; text-align: center; font-style: normal; border-radius: 3px; }
.scroll { overflow: auto; max-width: 100%; }
table.matrix { border-collapse: collapse; background: #fff; }
.matrix th { font-weight: 600; background: #f5f5f5; border: 1px solid #ddd; padding: 2px 6px; white-space: nowrap; }
.matrix th.ns { background: #e3f2fd; color: #0d47a1; }
.matrix th.rowns { text-align: left; vertical-align: top; }
.matrix th.col { vertical-align: bottom; height: 110px; }
.matrix th.col span { writing-mode: vertical-rl; transform: rotate(180deg); display: inline-block; }
.matrix th small { color: #888; font-weight: 400; }
.matrix th.row { text-align: left; }
td.c, .sw { border: 1px solid #fff; }
td.c { width: 26px; min-width: 26px; height: 26px; text-align: center; cursor: pointer; font-weight: 700; }
.allow { background: var(--allow-bg); color: var(--allow); }
.deny { background: var(--deny-bg); color: var(--deny); }
.none { background: var(--none-bg); color: #999; }
.self { background: #fff; color: #bbb; }
.changed { outline: 3px solid var(--changed); outline-offset: -3px; }
td.c.selected { outline: 3px solid #1565c0; outline-offset: -3px; }
td.c:hover { filter: brightness(0.92); }
.t-allow { color: var(--allow); } .t-deny { color: var(--deny); } .t-opened, .t-closed { color: #e65100; }
#detail { position: fixed; bottom: 0; left: 0; right: 0; background: #263238; color: #fff; padding: 10px 24px; min-height: 64px; white-space: pre-line; font-family: ui-monospace, monospace; font-size: 13px; z-index: 2; }
ul.other { font-family: ui-monospace, monospace; }
`;

const SCRIPT = `
(function () {
  var detail = document.getElementById('detail');
  var selected = null;
  function show(td) {
    if (!td || !td.classList.contains('c')) return;
    if (selected) selected.classList.remove('selected');
    selected = td;
    td.classList.add('selected');
    detail.textContent = td.getAttribute('data-detail');
  }
  var cells = document.querySelectorAll('td.c');
  for (var i = 0; i < cells.length; i++) {
    // The rule moves from the native tooltip to the panel, which also shows it on hover.
    cells[i].setAttribute('data-detail', cells[i].getAttribute('title'));
  }
  document.addEventListener('click', function (e) { show(e.target.closest('td.c')); });
  document.addEventListener('mouseover', function (e) { var td = e.target.closest('td.c'); if (td) detail.textContent = td.getAttribute('data-detail'); });
  document.addEventListener('mouseout', function (e) { if (e.target.closest('td.c') && selected) detail.textContent = selected.getAttribute('data-detail'); });
  document.addEventListener('keydown', function (e) { if (e.key === 'Enter') show(document.activeElement); });
  var m = /^#cell=(\\d+)-(\\d+)-(\\d+)$/.exec(location.hash);
  if (m) show(document.getElementById('cell-' + m[1] + '-' + m[2] + '-' + m[3]));
  document.documentElement.setAttribute('data-ready', '1');
})();
`;
