import type { AclRow } from '../rows/index.js';
import type { AclStage } from './aclProgram.js';
import type { TrailEntry } from './evaluateStage.js';
import type { FlowExplanation, ExplainedPath } from './explainFlow.js';
import { originOf, type PathStage } from './path.js';
import type { NodePortTable, ReachabilityMatrix } from './matrix.js';
import { formatChain } from './chain.js';
import { OWN_NODE_KIND } from '../ownNode/compile.js';

const STAGE_TITLE: Record<AclStage, string> = {
  'from-lport': 'from-lport (source port, before the load balancer)',
  'from-lport-after-lb': 'from-lport, apply-after-lb (source port, after DNAT)',
  'to-lport': 'to-lport (destination port)',
};

/** A row in one line: action, priority, tier and where it came from. */
export function describeAclRow(row: AclRow): string {
  const tier = row.tier === null ? '' : ` tier ${row.tier}`;
  const origin = originOf(row);
  const from = origin?.kind === OWN_NODE_KIND
    ? `own node: always allowed (Node ${origin.name}, ${origin.rule})`
    : origin
    ? `${origin.kind} ${origin.namespace ? `${origin.namespace}/` : ''}${origin.name}${origin.rule ? ` rule ${origin.rule}` : ''}`
    : `port group ${row.portGroup}${row.name ? ` (${row.name})` : ''}`;
  return `${row.action} prio ${row.priority}${tier}  ${from}`;
}

/**
 * Human-readable explanation, e.g.
 *   DENY  prod/client -> svc:prod/web:80  TCP IPv4
 *   ...
 */
export function formatExplanation(e: FlowExplanation): string {
  const out: string[] = [];
  const what = e.protocol === 'ICMP' ? 'ICMP echo' : `${e.protocol} port ${e.port}`;
  out.push(`${e.verdict.toUpperCase()}  ${e.from} -> ${e.to}  (${what}, IPv${e.family})`);
  if (e.service) {
    const n = e.paths.length;
    out.push(`Service ${e.service.namespace}/${e.service.name}: VIP ${bracket(e.service.vip)}:${e.service.port} -> ${n} backend${n === 1 ? '' : 's'}`);
  }
  if (e.nodePort) {
    const n = e.nodePort;
    const entry = n.kind === 'nodePort' ? `NodePort ${n.port} on ${bracket(n.address)}` : `load balancer ${bracket(n.address)}:${n.port}`;
    out.push(`${entry}: Service ${n.service.namespace}/${n.service.name} port ${n.service.port}, externalTrafficPolicy ${n.externalTrafficPolicy}`);
    for (const hop of n.nodes) {
      out.push(
        `  kube-proxy on ${hop.node} may pick ${hop.endpoints.length === 0 ? 'no endpoint' : hop.endpoints.join(', ')}; the endpoints see source ${bracket(hop.sourceSeenByEndpoints)}`,
      );
    }
  }
  if (e.note) out.push(`  ${e.note}`);
  for (const path of e.paths) out.push(...formatPath(path, e.service !== null));
  if (e.hints.length > 0) {
    out.push('', 'Why:');
    for (const h of e.hints) out.push(`  - ${h}`);
  }
  return `${out.join('\n')}\n`;
}

function formatPath(path: ExplainedPath, viaService: boolean): string[] {
  const out: string[] = [''];
  const dst = path.destination;
  const dstText = `${endText(dst.label, bracket(dst.ip))}${dst.port === null ? '' : `:${dst.port}`}`;
  out.push(
    viaService
      ? `backend ${dstText}: ${path.verdict.toUpperCase()}`
      : `${endText(path.source.label, path.source.ip)} -> ${dstText}: ${path.verdict.toUpperCase()}`,
  );
  if (path.note) out.push(`  ${path.note}`);
  // The chain is spelled out when a Pass handed the flow on: the rows alone would not show it.
  if (path.chain.some((step) => step.action === 'pass')) out.push(`  decision chain: ${formatChain(path.chain)}`);
  const hops = new Set(path.stages.map((s) => s.hop)).size;
  let hop = 0;
  for (const stage of path.stages) {
    if (hops > 1 && stage.hop !== hop) {
      hop = stage.hop;
      out.push(`  pass ${hop} through the switch: in ${stage.inport}, out ${stage.outport}`);
    }
    out.push(...formatStage(stage, hops > 1 ? '  ' : ''));
  }
  return out;
}

function formatStage(s: PathStage, indent: string): string[] {
  const title = `  ${STAGE_TITLE[s.stage]}: ${s.verdict}`;
  const considered = s.trail.filter((t) => t.row !== s.decidedBy);
  const skipped = s.otherPortRows > 0 ? ` (${s.otherPortRows} rows of other ports skipped)` : '';
  if (!s.decidedBy && considered.length === 0) return [`${indent}${title}, no ACL matched${skipped}`];
  const out = [title];
  if (s.decidedBy) {
    out.push(`    decided by: ${describeAclRow(s.decidedBy)}`);
    out.push(`      match: ${s.decidedBy.match}`);
  } else {
    out.push('    decided by: no ACL matched, OVN default (allow)');
  }
  for (const t of s.ties) out.push(`    WARNING equal tier and priority, OVN may pick instead: ${describeAclRow(t)}`);
  if (considered.length > 0) {
    out.push('    rows considered:');
    for (const t of considered) out.push(`      ${trailMark(t)} ${describeAclRow(t.row)}: ${t.detail}`);
  }
  if (skipped) out.push(`   ${skipped}`);
  return out.map((line) => indent + line);
}

function trailMark(t: TrailEntry): string {
  switch (t.result) {
    case 'matched':
      return '*';
    case 'passed':
      return '>';
    case 'ignored':
      return '!';
    case 'not-matched':
      return '-';
  }
}

const bracket = (ip: string): string => (ip.includes(':') ? `[${ip}]` : ip);
/** `shop/web-0 10.16.0.10`; an address endpoint's label already starts with its address. */
const endText = (label: string, ip: string): string => (label === ip || label.startsWith(`${ip} `) ? label : `${label} ${ip}`);

/**
 * Reachability tables like the upstream NetworkPolicy e2e prints them: rows are sources, columns
 * destinations, `.` allowed, `X` denied. Columns are numbered (the legend gives the pod of each
 * number) so 30 pods still fit in about 100 columns; short names are used directly when they fit.
 */
export function formatMatrix(m: ReachabilityMatrix): string {
  const out: string[] = [];
  const n = m.pods.length;
  const useNames = n <= 12 && m.pods.every((p) => p.length <= 5);
  const colLabels = useNames ? m.pods : m.pods.map((_, i) => String(i + 1));
  const colWidth = Math.max(...colLabels.map((l) => l.length), 1);
  const rowLabels = m.pods.map((p, i) => (useNames ? p : `${String(i + 1).padStart(String(n).length)} ${p}`));
  const corner = 'from \\ to';
  const rowWidth = Math.max(...rowLabels.map((l) => l.length), corner.length);
  for (const table of m.tables) {
    const title = table.protocol === 'ICMP' ? 'ICMP' : `${table.protocol}/${table.port}`;
    const allowed = table.cells.flat().filter((c) => c === 'allow').length;
    out.push(`${title}: ${allowed} of ${n * n} allowed`);
    out.push(`${corner.padEnd(rowWidth)} ${colLabels.map((l) => l.padStart(colWidth)).join(' ')}`);
    table.cells.forEach((row, i) => {
      const marks = row.map((c) => (c === 'allow' ? '.' : c === 'deny' ? 'X' : '-').padStart(colWidth));
      out.push(`${rowLabels[i]!.padEnd(rowWidth)} ${marks.join(' ')}`);
    });
    out.push('');
  }
  if (m.nodePorts) out.push(...nodePortLines(m.nodePorts, rowLabels, rowWidth, corner));
  out.push('legend: . allowed   X denied   - no common address family; rows: from, columns: to');
  if (!useNames) out.push('columns are numbered like the rows');
  return `${out.join('\n')}\n`;
}

/** The node-port table: columns numbered, the legend names each target (what `explain --to` takes). */
function nodePortLines(t: NodePortTable, rowLabels: readonly string[], rowWidth: number, corner: string): string[] {
  const labels = t.targets.map((_, i) => String(i + 1));
  const width = Math.max(...labels.map((l) => l.length));
  const allowed = t.cells.flat().filter((c) => c === 'allow').length;
  const out = [`node ports (NodePort and LoadBalancer Services): ${allowed} of ${t.cells.length * t.targets.length} allowed`];
  out.push(`${corner.padEnd(rowWidth)} ${labels.map((l) => l.padStart(width)).join(' ')}`);
  t.cells.forEach((row, i) => {
    const marks = row.map((c) => (c === 'allow' ? '.' : c === 'deny' ? 'X' : '-').padStart(width));
    out.push(`${rowLabels[i]!.padEnd(rowWidth)} ${marks.join(' ')}`);
  });
  out.push(`columns: ${t.targets.map((target, i) => `${i + 1} ${target}`).join('   ')}`, '');
  return out;
}

/** A row as explain reports it: the columns that decide, and where it came from. */
export function rowSummary(row: AclRow) {
  return {
    portGroup: row.portGroup,
    direction: row.direction,
    tier: row.tier,
    priority: row.priority,
    action: row.action,
    match: row.match,
    options: row.options,
    name: row.name,
    origin: originOf(row),
  };
}

/**
 * The explanation as plain JSON (`nbgen explain -o json`): `verdict` is "allow" or "deny"; each
 * path lists its stages with the deciding row and the rows considered.
 */
export function explanationToJson(e: FlowExplanation) {
  return {
    verdict: e.verdict,
    from: e.from,
    to: e.to,
    protocol: e.protocol,
    port: e.port,
    family: e.family,
    service: e.service,
    ...(e.nodePort ? { nodePort: e.nodePort } : {}),
    note: e.note,
    hints: e.hints,
    paths: e.paths.map((p) => ({
      verdict: p.verdict,
      source: p.source,
      destination: p.destination,
      note: p.note,
      ...(p.kubeProxy ? { kubeProxy: p.kubeProxy } : {}),
      chain: p.chain,
      decidingRows: p.decidingRows.map((d) => ({ stage: d.stage, hop: d.hop, row: rowSummary(d.row) })),
      stages: p.stages.map((s) => ({
        hop: s.hop,
        stage: s.stage,
        inport: s.inport,
        outport: s.outport,
        verdict: s.verdict,
        decidedBy: s.decidedBy ? rowSummary(s.decidedBy) : null,
        trail: s.trail.map((t) => ({ result: t.result, detail: t.detail, row: rowSummary(t.row) })),
        otherPortRows: s.otherPortRows,
        ties: s.ties.map(rowSummary),
      })),
    })),
  };
}
