import type { BaseType, ColumnType } from '../schema/types.js';
import { dbError, syntaxError } from './dbError.js';
import { compareAtoms, type Atom, type Datum } from './datum.js';
import { atomConstraintError } from './constraints.js';
import { isId, isUuid } from '../notation/uuid.js';
import { atomFromJson, atomJsonOf, atomToJson, mapPairs, setMembers, setToJson, uuidTextFromJson } from '../notation/wire.js';

/**
 * OVSDB notation in and out as ovsdb-server reads and writes it (`ovsdb_datum_from_json` /
 * `_to_json`), on the JSON forms the client's codec uses (notation/wire.ts): `named-uuid`s
 * resolve through the transaction's symbol table, every parsed atom is checked against its base
 * type, and a value that is not what its column takes is an error in the server's words.
 */

/** `ovsdb_datum_to_json`: maps always tagged, a 1-element set bare, otherwise `["set", [...]]`. */
export function datumToJson(type: ColumnType, datum: Datum): unknown {
  const kt = type.key.type;
  if (type.value) {
    const vt = type.value.type;
    const values = datum.values as readonly Atom[];
    return ['map', datum.keys.map((k, i) => [atomToJson(kt, k), atomToJson(vt, values[i] as Atom)])];
  }
  return setToJson(datum.keys, atomJsonOf[kt]);
}

/** Named UUIDs of one transaction (`ovsdb_symbol_table`). */
export interface UuidSymbol {
  readonly uuid: string;
  /** An insert with this `uuid-name` ran. */
  created: boolean;
}

export interface SymbolTable {
  lookupOrCreate(name: string): UuidSymbol;
}

/** `unwrap_json`: `[name, <array>]`. */
function unwrap(json: unknown, name: 'set' | 'map'): readonly unknown[] {
  const members = name === 'set' ? setMembers(json) : mapPairs(json);
  if (!members) throw syntaxError(json, null, `expected ["${name}", <array>]`);
  return members;
}

function parseUuidAtom(json: unknown, symtab: SymbolTable | null): string {
  // Checked by shape rather than by catching errors: a 50k-row transaction holds 50k
  // named-uuids, and building an error per atom would dominate its cost.
  const text = uuidTextFromJson(json);
  if (text !== undefined) {
    if (!isUuid(text)) throw syntaxError(json, null, `"${text}" is not a valid UUID`);
    return text.toLowerCase();
  }
  if (symtab && Array.isArray(json) && json.length === 2 && json[0] === 'named-uuid' && typeof json[1] === 'string') {
    if (!isId(json[1])) throw syntaxError(json, null, 'named-uuid string is not a valid <id>');
    return symtab.lookupOrCreate(json[1]).uuid;
  }
  throw syntaxError(json, null, 'expected ["uuid", <string>]');
}

/** `ovsdb_atom_from_json` including the base type's constraints. */
export function parseAtom(base: BaseType, json: unknown, symtab: SymbolTable | null): Atom {
  const atom = base.type === 'uuid' ? parseUuidAtom(json, symtab) : atomFromJson(base.type, json);
  if (atom === undefined) throw syntaxError(json, null, `expected ${base.type}`);
  const violation = atomConstraintError(base, atom);
  if (violation) throw violation;
  return atom;
}

/** `ovsdb_datum_from_json`: sizes, atoms and their constraints, then sort (duplicates are errors). */
export function parseDatum(type: ColumnType, json: unknown, symtab: SymbolTable | null): Datum {
  const isMap = type.value !== undefined;
  if (isMap || (Array.isArray(json) && json.length > 0 && json[0] === 'set')) {
    const kind = isMap ? 'map' : 'set';
    const inner = unwrap(json, kind);
    const n = inner.length;
    if (n < type.min || n > type.max) {
      if (type.min === 1 && type.max === 1) {
        throw syntaxError(json, null, `${kind} must have exactly one member but ${n} are present`);
      }
      throw syntaxError(json, null, `${kind} must have ${type.min} to ${type.max === Infinity ? 4294967295 : type.max} members but ${n} are present`);
    }
    const keys: Atom[] = new Array<Atom>(n);
    const values: Atom[] | undefined = isMap ? new Array<Atom>(n) : undefined;
    for (let i = 0; i < n; i++) {
      const element = inner[i];
      if (isMap) {
        if (!Array.isArray(element) || element.length !== 2) throw syntaxError(element, null, 'expected 2-element array');
        keys[i] = parseAtom(type.key, element[0], symtab);
        (values as Atom[])[i] = parseAtom(type.value as BaseType, element[1], symtab);
      } else {
        keys[i] = parseAtom(type.key, element, symtab);
      }
    }
    return sortDatum(type, keys, values);
  }
  return { keys: [parseAtom(type.key, json, symtab)] };
}

/** Sorts by key; a repeated key is `ovsdb error` as in `ovsdb_datum_sort`. */
function sortDatum(type: ColumnType, keys: Atom[], values: Atom[] | undefined): Datum {
  const kt = type.key.type;
  const n = keys.length;
  if (n < 2) return values ? { keys, values } : { keys };
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (compareAtoms(kt, keys[i - 1] as Atom, keys[i] as Atom) >= 0) sorted = false;
  if (!sorted) {
    const order = keys.map((_, i) => i).sort((x, y) => compareAtoms(kt, keys[x] as Atom, keys[y] as Atom));
    const k2 = order.map((i) => keys[i] as Atom);
    const original = values;
    const v2 = original ? order.map((i) => original[i] as Atom) : undefined;
    keys = k2;
    values = v2;
    for (let i = 1; i < n; i++) {
      if (keys[i - 1] === keys[i]) throw dbError(null, values ? 'map contains duplicate key' : 'set contains duplicate');
    }
  }
  return values ? { keys, values } : { keys };
}
