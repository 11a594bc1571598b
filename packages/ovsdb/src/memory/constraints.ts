import type { BaseType, ColumnType } from '../schema/types.js';
import { dbError, type DbError } from './dbError.js';
import { compareAtoms, type Atom, type Datum } from './datum.js';
import { atomToString, formatReal } from './datumText.js';

/** Base-type constraints (`ovsdb_atom_check_constraints`): enums, integer and real ranges, string lengths. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** `ovsdb_atom_check_constraints` (UUID references are checked at commit, not here). */
export function atomConstraintError(base: BaseType, atom: Atom): DbError | undefined {
  if (base.enum && !base.enum.includes(atom)) {
    const sortedEnum = [...base.enum].sort((a, b) => compareAtoms(base.type, a, b));
    const list = sortedEnum.map((v) => atomToString(base.type, v)).join(', ');
    // The enum is printed as a set of any size, so always bracketed.
    return dbError('constraint violation', `${atomToString(base.type, atom)} is not one of the allowed values ([${list}])`);
  }
  switch (base.type) {
    case 'integer':
    case 'real': {
      const min = base.type === 'integer' ? base.minInteger : base.minReal;
      const max = base.type === 'integer' ? base.maxInteger : base.maxReal;
      const x = atom as number;
      if ((min === undefined || x >= min) && (max === undefined || x <= max)) return undefined;
      const f = base.type === 'integer' ? String : formatReal;
      if (min !== undefined && max !== undefined) {
        return dbError('constraint violation', `${f(x)} is not in the valid range ${f(min)} to ${f(max)} (inclusive)`);
      }
      if (min !== undefined) return dbError('constraint violation', `${f(x)} is less than minimum allowed value ${f(min)}`);
      return dbError('constraint violation', `${f(x)} is greater than maximum allowed value ${f(max as number)}`);
    }
    case 'string': {
      if (base.minLength === undefined && base.maxLength === undefined) return undefined;
      const s = atom as string;
      const n = codePoints(s);
      if (base.minLength !== undefined && n < base.minLength) {
        return dbError('constraint violation', `"${s}" length ${n} is less than minimum allowed length ${base.minLength}`);
      }
      if (base.maxLength !== undefined && n > base.maxLength) {
        return dbError('constraint violation', `"${s}" length ${n} is greater than maximum allowed length ${base.maxLength}`);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export function datumConstraintError(type: ColumnType, datum: Datum): DbError | undefined {
  for (const k of datum.keys) {
    const e = atomConstraintError(type.key, k);
    if (e) return e;
  }
  if (type.value && datum.values) {
    for (const v of datum.values) {
      const e = atomConstraintError(type.value, v);
      if (e) return e;
    }
  }
  return undefined;
}
