import { columnKind, type AtomicType, type BaseType, type ColumnType } from '../schema/types.js';
import type { Atom, Datum } from './datum.js';
import { isUuid } from '../notation/uuid.js';

/** Atoms, datums and types as ovsdb-server writes them in error messages (`ovsdb_datum_to_string`). */

/** `%.*g` with DBL_DIG (15) significant digits, as the server prints reals in messages. */
export function formatReal(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const exp = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 15) {
    const [mantissa, e] = x.toExponential(14).split('e') as [string, string];
    const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  const fixed = x.toPrecision(15);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** `string_needs_quotes` of lib/ovsdb-data.c. */
function stringNeedsQuotes(s: string): boolean {
  if (!/^[a-zA-Z_][a-zA-Z0-9_.-]*$/.test(s)) return true;
  return s === 'true' || s === 'false' || isUuid(s);
}

export function atomToString(type: AtomicType, atom: Atom): string {
  switch (type) {
    case 'integer':
      return String(atom);
    case 'real':
      return formatReal(atom as number);
    case 'boolean':
      return atom ? 'true' : 'false';
    case 'string':
      return stringNeedsQuotes(atom as string) ? JSON.stringify(atom) : (atom as string);
    case 'uuid':
      return atom as string;
  }
}

/** `ovsdb_datum_to_string`: `[a, b]`, `{k=v}`, a bare atom for one-element columns. */
export function datumToString(type: ColumnType, datum: Datum): string {
  const isMap = type.value !== undefined;
  const parts = datum.keys.map((k, i) =>
    isMap ? `${atomToString(type.key.type, k)}=${atomToString((type.value as BaseType).type, (datum.values as readonly Atom[])[i] as Atom)}` : atomToString(type.key.type, k),
  );
  const bracket = type.max > 1 || datum.keys.length === 0;
  const body = parts.join(', ');
  return bracket ? (isMap ? `{${body}}` : `[${body}]`) : body;
}

/** `ovsdb_type_to_english`, for type mismatch and element count messages. */
export function typeToEnglish(type: ColumnType): string {
  const key = type.key.type;
  if (columnKind(type) === 'scalar') return key;
  const max = type.max === Infinity ? undefined : type.max;
  let s = type.value ? 'map' : 'set';
  if (max === undefined) s += type.min ? ` of ${type.min} or more` : ' of';
  else if (type.min) s += ` of ${type.min} to ${max}`;
  else s += ` of up to ${max}`;
  s += type.value ? ` (${key}, ${type.value.type}) pairs` : ` ${key}s`;
  return s;
}
