import { aclSortKey, comparableByFields, compareAcls } from './aclOrder.js';
import type { NatRow } from './nat.js';
import { NB_ROW_LIST_NAMES, NB_ROW_LISTS, type NbRow, type NbRows } from './rowLists.js';

export * from './acl.js';
export * from './addressSet.js';
export * from './loadBalancer.js';
export * from './nat.js';
export * from './portGroup.js';

export type { NbRow, NbRows, NbTable } from './rowLists.js';

/** A bundle whose lists `listOf` gives, each by its name in NbRows. */
function bundleOf(listOf: (list: keyof NbRows) => readonly NbRow[]): NbRows {
  const bundle: Record<string, readonly NbRow[]> = {};
  for (const list of NB_ROW_LIST_NAMES) bundle[list] = listOf(list);
  return bundle as unknown as NbRows;
}

export const emptyNbRows: NbRows = Object.freeze(bundleOf(() => []));

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function natSortKey(n: NatRow): string {
  return `${n.router}\u0000${n.type}\u0000${n.externalIp}\u0000${n.logicalIp}`;
}

/**
 * Lists sortedBy made (frozen, so still in that order): merging one of them with nothing but empty
 * lists needs no second sort, which at 20,000 ACLs costs as much as the first (the keys).
 */
const sortedLists = new WeakSet<readonly unknown[]>();

/** Sorted with `compare`, made and remembered as sortedBy does. */
function sortedWith<T>(rows: readonly T[], compare: (a: T, b: T) => number): readonly T[] {
  if (sortedLists.has(rows)) return rows;
  const sorted = Object.freeze(rows.slice().sort(compare));
  sortedLists.add(sorted);
  return sorted;
}

/** Sorts by a string key computed once per row (a 77k-ACL sort would otherwise rebuild keys ~2M times). */
function sortedBy<T>(rows: readonly T[], key: (row: T) => string): readonly T[] {
  if (sortedLists.has(rows)) return rows;
  const keyed = rows.map((row) => ({ key: key(row), row }));
  keyed.sort((a, b) => byString(a.key, b.key));
  const sorted = Object.freeze(keyed.map((k) => k.row));
  sortedLists.add(sorted);
  return sorted;
}

/** The lists of one table concatenated; a sole non-empty list as it is (sortedBy may know it). */
function concatenated<T>(lists: readonly (readonly T[])[]): readonly T[] {
  const nonEmpty = lists.filter((list) => list.length > 0);
  return nonEmpty.length === 1 ? nonEmpty[0]! : nonEmpty.flat();
}

/** Canonical order so that the same input always yields byte-identical output. */
export function sortNbRows(rows: NbRows): NbRows {
  return Object.freeze({
    portGroups: sortedBy(rows.portGroups, (r) => r.name),
    addressSets: sortedBy(rows.addressSets, (r) => r.name),
    acls: comparableByFields(rows.acls) ? sortedWith(rows.acls, compareAcls) : sortedBy(rows.acls, aclSortKey),
    nats: sortedBy(rows.nats, natSortKey),
    loadBalancers: sortedBy(rows.loadBalancers, (r) => r.name),
  });
}

/** Concatenates row bundles (e.g. NetworkPolicy rows + tiered rows + NAT rows) and sorts them. */
export function mergeNbRows(...parts: readonly NbRows[]): NbRows {
  return sortNbRows(bundleOf((list) => concatenated(parts.map((p) => p[list] as readonly NbRow[]))));
}

/** Every row of a bundle in one list, table by table. */
export function listNbRows(rows: NbRows): NbRow[] {
  const all: NbRow[] = [];
  for (const list of NB_ROW_LIST_NAMES) for (const row of rows[list]) all.push(row);
  return all;
}

/** Rows of any tables as a bundle: grouped by table, in canonical order. */
export function groupNbRows(rows: readonly NbRow[]): NbRows {
  const byList: Record<string, NbRow[]> = {};
  for (const list of NB_ROW_LIST_NAMES) byList[list] = [];
  for (const row of rows) byList[NB_ROW_LISTS[row.table]]!.push(row);
  return sortNbRows(byList as unknown as NbRows);
}
