// How a row reads in reconcile plans, diffs and messages, from its identity: the same text for a
// desired row and for its database row.
import { OBJECT_KIND_KEY, OBJECT_NAME_KEY, OBJECT_NAMESPACE_KEY, ROW_ID_KEY, type NbTable, type ObjectRef, type OwnedKind } from '@ovn-nbgen/core';

export type Ids = Readonly<Record<string, string>>;

export function objectRefOf(ids: Ids): ObjectRef | undefined {
  const kind = ids[OBJECT_KIND_KEY];
  if (kind === undefined) return undefined;
  return { kind: kind as OwnedKind, namespace: ids[OBJECT_NAMESPACE_KEY] ?? '', name: ids[OBJECT_NAME_KEY] ?? '' };
}

/** How a row reads in plans and diffs, from its identity (works for desired and database rows alike). */
export function labelOf(table: NbTable, columns: Readonly<Record<string, unknown>>, ids: Ids, parentName: string | undefined): string {
  const column = (c: string): unknown => columns[c];
  switch (table) {
    case 'ACL': {
      const object = objectRefOf(ids);
      const rule = ids[ROW_ID_KEY] ?? '';
      const of = object ? `${object.namespace ? `${object.namespace}/` : ''}${object.name}` : '';
      return `ACL ${parentName ?? '?'} ${rule || of}`.trimEnd();
    }
    case 'NAT':
      return `NAT ${parentName ?? '?'} ${String(column('type'))} ${String(column('external_ip'))} ${String(column('logical_ip'))}`;
    default:
      return `${table} ${String(column('name'))}`;
  }
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

