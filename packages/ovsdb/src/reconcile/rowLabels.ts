// How a row reads in reconcile plans, diffs and messages, from its identity: the same text for a
// desired row and for its database row.
import type { NbRow, NbTable, ObjectRef, OwnedKind } from '@ovn-nbgen/core';
import { OBJECT_KIND_KEY, OBJECT_NAME_KEY, OBJECT_NAMESPACE_KEY } from '@ovn-nbgen/core/model';
import { nbTables, type TableDescriptor } from '@ovn-nbgen/core/script';

export type Ids = Readonly<Record<string, string>>;

export function objectRefOf(ids: Ids): ObjectRef | undefined {
  const kind = ids[OBJECT_KIND_KEY];
  if (kind === undefined) return undefined;
  return { kind: kind as OwnedKind, namespace: ids[OBJECT_NAMESPACE_KEY] ?? '', name: ids[OBJECT_NAME_KEY] ?? '' };
}

/** How a row reads in plans and diffs: its table descriptor's `label` (desired and database rows alike). */
export function labelOf(table: NbTable, columns: Readonly<Record<string, unknown>>, ids: Ids, parentName: string | undefined): string {
  return (nbTables[table] as TableDescriptor<NbRow>).label(columns, ids, parentName);
}

/** A desired row's label, built only when a plan entry or a message needs it (most rows need none). */
export class RowLabel {
  constructor(
    private readonly table: NbTable,
    private readonly values: Readonly<Record<string, unknown>>,
    private readonly ids: Ids,
    private readonly parentName: string | undefined,
  ) {}

  get text(): string {
    return labelOf(this.table, this.values, this.ids, this.parentName);
  }
}

