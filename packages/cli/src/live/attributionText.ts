import type { FlowExplanation } from '@ovn-nbgen/core';
import type { LiveNb } from '@ovn-nbgen/ovsdb';
import { attributeAcl, describeAttribution, type RowAttribution } from '@ovn-nbgen/ovsdb/live';

export interface AttributedRow {
  readonly path: number;
  readonly stage: string;
  readonly hop: number;
  readonly attribution: RowAttribution | null;
  readonly row: string;
}

/** The deciding rows of every path, named by the Kubernetes object that wrote them. */
export function attributedDecidingRows(e: FlowExplanation, live: LiveNb): AttributedRow[] {
  return e.paths.flatMap((path, index) =>
    path.decidingRows.map((d) => {
      const attribution = attributeAcl(d.row, live.portGroupExternalIds.get(d.row.portGroup));
      return { path: index + 1, stage: d.stage, hop: d.hop, attribution, row: describeAttribution(d.row, attribution) };
    }),
  );
}

/** Text appended to explain's output with --db. */
export function formatAttribution(rows: readonly AttributedRow[], multiplePaths: boolean): string {
  if (rows.length === 0) return 'Written by: no ACL decided (OVN default: allow)\n';
  const lines = ['Written by:'];
  for (const r of rows) lines.push(`  ${multiplePaths ? `path ${r.path} ` : ''}${r.stage}${r.hop > 1 ? ` (pass ${r.hop})` : ''}: ${r.row}`);
  return `${lines.join('\n')}\n`;
}
