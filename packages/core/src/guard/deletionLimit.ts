import type { NbTable } from '../rows/index.js';
import { NB_TABLE_ORDER } from '../tables/index.js';

/**
 * How many of an owner's rows one write may delete before nbgen refuses it (`--max-delete`).
 * A write that deletes most of an owner's rows is far more often a mistake in the input (a
 * directory that lost its policies, a mistyped path) than a decision, and deleting a policy's rows
 * removes the isolation they gave. The limit is checked against every plan right before it is
 * committed, by `nbgen apply` and by the exported script alike; over it, nothing is written.
 *
 * A plan is refused when it deletes at least one row and
 *   (deleted > rows AND deleted × 100 > percent × the owner's rows in the NB)
 *   OR (refuseEmptying AND it leaves the owner no row at all, i.e. nothing is wanted).
 */
export interface DeletionLimit {
  readonly percent: number;
  readonly rows: number;
  readonly refuseEmptying: boolean;
  /** How the limit reads in messages: `50% and 10 rows (the default)`, `25%`, `40 rows`. */
  readonly text: string;
}

/**
 * The default: more than half of the owner's rows AND more than 10 rows, or every row of the owner
 * with nothing in its place. Why these numbers:
 * - 50%: ordinary edits (a policy added, changed, removed among several) delete a small share of
 *   the rows; losing more than half of them at once is the signature of input that went missing.
 * - 10 rows (about two NetworkPolicies' worth: a port group, its allow and drop ACLs, peer sets):
 *   in a small setup, renaming or replacing its only policy legitimately deletes more than half of
 *   the rows; refusing that would teach people to pass --max-delete 100% every time, which is
 *   worse than no guard.
 * - A plan that removes all of the owner's rows and writes none is refused even below 10 rows:
 *   that is what a forgotten policy file looks like, and removing an owner on purpose is
 *   `nbgen delete`.
 */
export const DEFAULT_DELETION_LIMIT: DeletionLimit = Object.freeze({
  percent: 50,
  rows: 10,
  refuseEmptying: true,
  text: 'more than 50% and more than 10 rows, or all rows with none written (the default)',
});

/** `--max-delete` text → limit: `N` rows or `P%` of the owner's rows (`100%`: no limit). Null when malformed. */
export function parseDeletionLimit(text: string): DeletionLimit | null {
  const percent = /^([0-9]{1,3})%$/.exec(text);
  if (percent) {
    const p = Number(percent[1]);
    return p > 100 ? null : Object.freeze({ percent: p, rows: 0, refuseEmptying: false, text: `more than ${p}%` });
  }
  if (!/^[0-9]{1,9}$/.test(text)) return null;
  const rows = Number(text);
  return Object.freeze({ percent: 0, rows, refuseEmptying: false, text: `more than ${rows} row${rows === 1 ? '' : 's'}` });
}

/** A write's deletions against what the owner has: per table, rows deleted and rows the owner holds before. */
export interface DeletionCounts {
  readonly deleted: Readonly<Record<NbTable, number>>;
  readonly owned: Readonly<Record<NbTable, number>>;
  /** Rows the owner is to hold afterwards (the compiled rows). */
  readonly wanted: number;
}

export interface DeletionRefusal extends DeletionCounts {
  readonly owner: string;
  readonly limit: DeletionLimit;
  readonly totalDeleted: number;
  readonly totalOwned: number;
}

const sum = (counts: Readonly<Record<NbTable, number>>): number => NB_TABLE_ORDER.reduce((n, t) => n + counts[t], 0);

/** The refusal for these counts under `limit`, or null when the write may go ahead. */
export function checkDeletionLimit(owner: string, counts: DeletionCounts, limit: DeletionLimit): DeletionRefusal | null {
  const totalDeleted = sum(counts.deleted);
  const totalOwned = sum(counts.owned);
  if (totalDeleted === 0) return null;
  const overLimit = totalDeleted > limit.rows && totalDeleted * 100 > limit.percent * totalOwned;
  const emptying = limit.refuseEmptying && counts.wanted === 0;
  return overLimit || emptying ? { ...counts, owner, limit, totalDeleted, totalOwned } : null;
}

/** `Port_Group 1 of 1, ACL 4 of 5`: the tables that lose rows, in table order. */
export function formatDeletedTables(counts: DeletionCounts): string {
  return NB_TABLE_ORDER.filter((t) => counts.deleted[t] > 0)
    .map((t) => `${t} ${counts.deleted[t]} of ${counts.owned[t]}`)
    .join(', ');
}

/**
 * The refusal as nbgen prints it (the exported script prints the same words from bash). `retry`
 * says how to go ahead for the command at hand, e.g. `run again with --max-delete 5 (or 100%)`;
 * `removeOwner` how to remove an owner's rows on purpose (the CLI: `nbgen delete --owner NAME`).
 */
export function formatDeletionRefusal(
  refusal: DeletionRefusal,
  retry: string,
  removeOwner = 'reconcile no rows for it with no deletion limit',
): string {
  const { owner, totalDeleted, totalOwned } = refusal;
  return (
    `refusing to delete ${totalDeleted} of the ${totalOwned} rows of owner ${JSON.stringify(owner)} ` +
    `(${formatDeletedTables(refusal)}${refusal.wanted === 0 ? '; none would be left' : ''}): ` +
    `over the deletion limit, ${refusal.limit.text}. Nothing was written.\n` +
    `Check the input (a missing or mistyped file removes its policies' rows); if these rows should go, ${retry}; ` +
    `to remove all rows of an owner, ${removeOwner}.`
  );
}

/** A write refused by its deletion limit (`reconcile(rows, { deletionLimit })`); nothing was sent. */
export class DeletionLimitError extends Error {
  readonly code = 'NBGEN_DELETION_LIMIT';
  constructor(readonly refusal: DeletionRefusal) {
    super(formatDeletionRefusal(refusal, 'pass a higher deletion limit'));
    this.name = 'DeletionLimitError';
  }
}
