import type { Capabilities } from '../capabilities.js';
import type { NbRow } from '../rows/index.js';
import type { NbValue, ColumnSpec } from './columns.js';
import { nbTables, type TableDescriptor } from './descriptors.js';

/** A target OVN cannot hold a value (ACL tier or pass before 23.06, NAT gateway_port before 22.06). */
export class CapabilityError extends Error {
  readonly code = 'NBGEN_CAPABILITY';
  constructor(message: string) {
    super(message);
    this.name = 'CapabilityError';
  }
}

export interface EncodedColumn {
  readonly name: string;
  readonly spec: ColumnSpec<never>;
  /** What the column holds once written (a row's null becomes the column's empty or default value). */
  readonly value: NbValue;
  /** The row left the column unset: a writer may omit it and get the same value. */
  readonly unset: boolean;
}

const CAPABILITY_NEEDS: Readonly<Record<keyof Capabilities, string>> = {
  aclTier: 'an OVN with ACL tiers (>= 23.06)',
  passAction: 'an OVN with ACL tiers (>= 23.06)',
  natGatewayPort: 'OVN >= 22.06',
};

/** How error messages name a row: its name, else what identifies it. */
export function describeRow(row: NbRow): string {
  return (nbTables[row.table] as TableDescriptor<NbRow>).describe(row);
}

/**
 * THE column encoding both writers use: a row → the values of the columns we own on a target with
 * `capabilities`, in the descriptor's order. Columns the target lacks are left out (they are not
 * ours to compare); a value the target cannot hold is a CapabilityError.
 *
 * @example
 *   encodeColumns(aclTable, acl, capabilitiesForOvnVersion('23.03'))
 *   // [{ name: 'direction', value: 'to-lport', ... }, { name: 'priority', value: 1001, ... }, ...]
 */
export function encodeColumns<R extends NbRow>(
  descriptor: TableDescriptor<R>,
  row: R,
  capabilities: Capabilities,
): EncodedColumn[] {
  const out: EncodedColumn[] = [];
  for (const spec of descriptor.columns) {
    const value = encodeColumn(spec, row, capabilities);
    if (value === ABSENT) continue;
    out.push({ name: spec.name, spec: spec as ColumnSpec<never>, value, unset: spec.value(row) === null });
  }
  return out;
}

/** `encodeColumns` as one name → value record: what the live path compares and writes (one object per row). */
export function encodeColumnValues<R extends NbRow>(
  descriptor: TableDescriptor<R>,
  row: R,
  capabilities: Capabilities,
): Record<string, NbValue> {
  const out: Record<string, NbValue> = {};
  const columns = descriptor.columns;
  for (let i = 0; i < columns.length; i++) {
    const spec = columns[i]!;
    const value = encodeColumn(spec, row, capabilities);
    if (value !== ABSENT) out[spec.name] = value;
  }
  return out;
}

const ABSENT: unique symbol = Symbol('absent');

/** One column of one row on a target: its value, or ABSENT when the target has no such column. */
function encodeColumn<R extends NbRow>(spec: ColumnSpec<R>, row: R, capabilities: Capabilities): NbValue | typeof ABSENT {
  const raw = spec.value(row);
  if (spec.capability && !capabilities[spec.capability]) {
    if (raw !== null) {
      throw new CapabilityError(`${describeRow(row)}: ${spec.name} ${String(raw)} needs ${CAPABILITY_NEEDS[spec.capability]}`);
    }
    return ABSENT;
  }
  if (spec.valueCapabilities && typeof raw === 'string') {
    const needed = spec.valueCapabilities[raw];
    if (needed && !capabilities[needed]) {
      throw new CapabilityError(`${describeRow(row)}: ${spec.name} ${String(raw)} needs ${CAPABILITY_NEEDS[needed]}`);
    }
  }
  if (raw !== null) return raw;
  if (spec.whenNull === undefined) throw new TypeError(`${describeRow(row)}: ${spec.name} must not be null`);
  return spec.whenNull === 'empty' ? null : spec.whenNull;
}

/** Reference names of a row (ports, gateway port), checked against the target's capabilities. */
export function referenceNames<R extends NbRow>(
  descriptor: TableDescriptor<R>,
  row: R,
  capabilities: Capabilities,
): { readonly column: string; readonly names: readonly string[] }[] {
  const out: { column: string; names: readonly string[] }[] = [];
  for (const ref of descriptor.references) {
    const names = ref.names(row);
    if (ref.capability && !capabilities[ref.capability]) {
      if (names.length > 0) {
        throw new CapabilityError(`${describeRow(row)}: ${ref.column} needs ${CAPABILITY_NEEDS[ref.capability]}`);
      }
      continue;
    }
    out.push({ column: ref.column, names });
  }
  return out;
}

/**
 * The identity of a row within one owner's rows of a table: what decides whether a desired row
 * and a database row are the same row (then updated in place) or not (one inserted, one deleted).
 * Callers give column values (a desired row's encoded values, or a database row) and external_ids
 * from either side, so both sides key alike.
 */
export function identityKey(
  descriptor: Pick<TableDescriptor<NbRow>, 'identity'> & { readonly parent?: unknown },
  columns: Readonly<Record<string, unknown>>,
  externalIds: Readonly<Record<string, string>>,
  parentName: string | undefined,
): string {
  // Parts joined by NUL (which OVSDB strings cannot usefully hold; a collision would only make two
  // rows update each other in place, never lose one), absent parts as \u0001.
  let key = descriptor.parent ? (parentName ?? '\u0001') : '';
  for (const c of descriptor.identity.columns) {
    const v = columns[c];
    key += `\u0000${v === undefined || v === null ? '\u0001' : String(v)}`;
  }
  for (const k of descriptor.identity.externalIds) key += `\u0000${externalIds[k] ?? '\u0001'}`;
  return key;
}
