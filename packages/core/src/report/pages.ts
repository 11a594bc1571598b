import type { MatrixProbe } from '../explain/matrix.js';
import type { ClassMatrix } from '../impact/classMatrix.js';
import type { NodePortMatrix } from '../impact/nodePortMatrix.js';
import type { Impact } from '../impact/impact.js';
import { impactSummary } from '../impact/format.js';
import { flowKey, type FlowEnd, type JudgedClassFlow } from '../impact/judge.js';
import type { ReportCell, ReportGroup, ReportPage, ReportTable } from './page.js';

const probeTitle = (p: MatrixProbe): string => (p.protocol === 'ICMP' ? 'ICMP' : `${p.protocol}/${p.port}`);

/** `nbgen matrix -o html`: one table per probe, one row and column per workload (pod class). */
export function matrixPage(m: ClassMatrix, title = 'nbgen matrix'): ReportPage {
  const groups: ReportGroup[] = m.classes.map((c) => ({ namespace: c.namespace, label: c.label, pods: c.pods.length }));
  const pods = groups.reduce((n, g) => n + g.pods, 0);
  return {
    title,
    summary: `${pods} pods in ${groups.length} workloads (pods policies cannot tell apart), ${new Set(groups.map((g) => g.namespace)).size} namespaces`,
    tables: [
      ...m.tables.map((t): ReportTable => ({ title: probeTitle(t), groups, cells: t.cells.map((row) => row.map((c): ReportCell => ({ verdict: c.verdict, rule: c.rule }))) })),
      ...(m.nodePorts ? [nodePortTable(m, m.nodePorts)] : []),
    ],
    otherChanges: [],
  };
}

/** `--node-ports`: a row per workload and node it runs on, a column per node port or load balancer. */
function nodePortTable(m: ClassMatrix, np: NodePortMatrix): ReportTable {
  const groups = np.rows.map((r): ReportGroup => {
    const c = m.classes[r.classIndex]!;
    const pods = c.pods.filter((p) => p.nodeName === r.node).length;
    return { namespace: c.namespace, label: r.node === null ? c.label : `${c.label} on ${r.node}`, pods };
  });
  const columns = np.columns.map((c): ReportGroup => ({ namespace: c.loadBalancer ? 'load balancers' : 'node ports', label: c.target, pods: 1 }));
  return { title: 'NodePorts and load balancers', groups, columns, cells: np.rows.map((r) => r.cells.map((c): ReportCell => ({ verdict: c.verdict, rule: c.rule }))) };
}

/**
 * `nbgen impact -o html`: the after version's matrix for every port a pod-to-pod change is on,
 * changed cells marked with the rule before; changes to Services and outside addresses listed.
 */
export function impactPage(impact: Impact, title = 'nbgen impact'): ReportPage {
  if (impact.afterFlows === null) throw new TypeError('impactPage needs the after version’s flows: impactOf(before, after, { ...options, afterFlows: true })');
  const podFlows = impact.afterFlows.filter((f) => f.from.kind === 'pods' && f.to.kind === 'pods');
  const ends = new Map<string, FlowEnd>();
  for (const f of podFlows) for (const e of [f.from, f.to]) ends.set(e.key, e);
  for (const c of impact.changes) for (const e of [c.from, c.to]) if (e.kind === 'pods') ends.set(e.key, e);
  const sorted = [...ends.values()].sort((a, b) => cmp(a.namespace ?? '', b.namespace ?? '') || cmp(a.label, b.label));
  const groups: ReportGroup[] = sorted.map((e) => ({ namespace: e.namespace ?? '', label: e.label, pods: e.pods }));
  const index = new Map(sorted.map((e, i) => [e.key, i]));
  const podChanges = impact.changes.filter((c) => c.from.kind === 'pods' && c.to.kind === 'pods');
  const ports = [...new Map(podChanges.map((c) => [`${c.protocol}/${c.port}`, { protocol: c.protocol, port: c.port }])).values()];
  const tables = ports.map((p): ReportTable => {
    const cells: ReportCell[][] = sorted.map(() => sorted.map((): ReportCell => ({ verdict: 'self', rule: '' })));
    const byPair = new Map<string, JudgedClassFlow[]>();
    for (const f of podFlows) {
      if (f.protocol !== p.protocol || f.port !== p.port) continue;
      const key = `${f.from.key}>${f.to.key}`;
      byPair.set(key, [...(byPair.get(key) ?? []), f]);
    }
    for (const flows of byPair.values()) {
      const changed = flows.find((f) => impact.changedKeys.has(flowKey(f)));
      const shown = changed ?? flows.sort((a, b) => a.family - b.family)[0]!;
      const change = changed ? podChanges.find((c) => c.from.key === shown.from.key && c.to.key === shown.to.key && c.protocol === p.protocol && c.port === p.port) : undefined;
      cells[index.get(shown.from.key)!]![index.get(shown.to.key)!] = {
        verdict: shown.verdict,
        rule: `${shown.rule}${change ? ` (IPv${change.families.join('+IPv')})` : ''}`,
        ...(change ? { change: change.change, before: change.before } : {}),
      };
    }
    // A pair with no flow judged at all has no common family (a class of one pod to itself stays self).
    sorted.forEach((a, i) =>
      sorted.forEach((_, j) => {
        if (cells[i]![j]!.verdict === 'self' && (i !== j || a.pods > 1)) cells[i]![j] = { verdict: 'none', rule: '' };
      }),
    );
    return { title: `${p.protocol}/${p.port} after the change`, groups, cells };
  });
  const other = impact.changes
    .filter((c) => !(c.from.kind === 'pods' && c.to.kind === 'pods'))
    .map((c) => `${c.change.toUpperCase()} ${c.from.label} (${c.from.pods}) -> ${c.to.label} ${c.protocol}/${c.port} IPv${c.families.join('+IPv')}: ${c.after} (before: ${c.before})`);
  return { title, summary: impactSummary(impact), tables, otherChanges: other };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
