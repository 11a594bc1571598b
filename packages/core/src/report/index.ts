// Reports people read at a glance: the reachability matrix per workload as HTML and Markdown.
export { podPairs, tableTotals, type ReportCell, type ReportGroup, type ReportPage, type ReportTable, type TableTotals } from './page.js';
export { renderReportHtml } from './html.js';
export { formatReportMarkdown } from './markdown.js';
export { impactPage, matrixPage } from './pages.js';
