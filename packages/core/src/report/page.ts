/** What the HTML report shows, independent of where it came from (matrix or impact). */
export interface ReportGroup {
  readonly namespace: string;
  /** `shop/web-*` */
  readonly label: string;
  readonly pods: number;
}

export interface ReportCell {
  readonly verdict: 'allow' | 'deny' | 'none' | 'self';
  /** The deciding rule (`deny: NetworkPolicy ...`); empty for self/none. */
  readonly rule: string;
  readonly change?: 'opened' | 'closed';
  /** The rule before the change, for a changed cell. */
  readonly before?: string;
}

export interface ReportTable {
  /** `TCP/80` */
  readonly title: string;
  /** The rows, and the columns unless `columns` is given. */
  readonly groups: readonly ReportGroup[];
  /** Columns that are not the rows (a node's NodePort, a load balancer: one destination each). */
  readonly columns?: readonly ReportGroup[];
  /** cells[from][to], indexes into `groups` and `columns` (or `groups`). */
  readonly cells: readonly (readonly ReportCell[])[];
}

/** The columns of a table: its own, or the rows. */
export const columnsOf = (t: ReportTable): readonly ReportGroup[] => t.columns ?? t.groups;

export interface ReportPage {
  readonly title: string;
  readonly summary: string;
  readonly tables: readonly ReportTable[];
  /** Changes that are not pod to pod (Service VIPs, outside addresses), one line each. */
  readonly otherChanges: readonly string[];
}

/** Pod pairs a cell stands for: every pod of one class to every pod of the other (not itself). */
export function podPairs(from: ReportGroup, to: ReportGroup, same: boolean): number {
  return same ? from.pods * (from.pods - 1) : from.pods * to.pods;
}

export interface TableTotals {
  readonly allowed: number;
  readonly denied: number;
  readonly opened: number;
  readonly closed: number;
}

/** Totals in pod pairs (a class cell counts for all the pairs it stands for). */
export function tableTotals(t: ReportTable): TableTotals {
  let allowed = 0;
  let denied = 0;
  let opened = 0;
  let closed = 0;
  t.cells.forEach((row, i) =>
    row.forEach((cell, j) => {
      const n = podPairs(t.groups[i]!, columnsOf(t)[j]!, !t.columns && i === j);
      if (cell.verdict === 'allow') allowed += n;
      if (cell.verdict === 'deny') denied += n;
      if (cell.change === 'opened') opened += n;
      if (cell.change === 'closed') closed += n;
    }),
  );
  return { allowed, denied, opened, closed };
}
