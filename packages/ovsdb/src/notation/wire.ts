import type { AtomicType } from '../schema/types.js';
import type { Atom } from './value.js';

/**
 * The JSON forms of RFC 7047 §5.1 that do not depend on who reads them: one atom, a tagged set or
 * map, and the rule that a one-element set travels as its bare atom. The client's codec (codec.ts)
 * and the in-memory server's (memory/datumJson.ts) are both built on these, so they cannot drift.
 */

/** The text of a `["uuid", text]` atom, not yet checked to be a UUID; undefined for anything else. */
export function uuidTextFromJson(json: unknown): string | undefined {
  return Array.isArray(json) && json.length === 2 && json[0] === 'uuid' && typeof json[1] === 'string' ? json[1] : undefined;
}

/**
 * The atom a JSON value holds for `type`, or undefined when it is not one (uuid text unchecked).
 * Atoms other than uuids travel as themselves, so this also says whether a JS value is an atom of
 * such a type. An integer must be integral (`ovsdb_atom_from_json` rejects 1.5 for an integer
 * column); JSON carries no infinities, so a real must be finite.
 */
export function atomFromJson(type: AtomicType, json: unknown): Atom | undefined {
  switch (type) {
    case 'integer':
      return Number.isInteger(json) ? (json as number) : undefined;
    case 'real':
      return Number.isFinite(json) ? (json as number) : undefined;
    case 'boolean':
      return typeof json === 'boolean' ? json : undefined;
    case 'string':
      return typeof json === 'string' ? json : undefined;
    case 'uuid':
      return uuidTextFromJson(json);
  }
}

const atomAsItself = (atom: Atom): unknown => atom;

/** An atom's JSON by its type: a uuid is `["uuid", text]`, any other atom is itself. */
export const atomJsonOf: Readonly<Record<AtomicType, (atom: Atom) => unknown>> = {
  integer: atomAsItself,
  real: atomAsItself,
  boolean: atomAsItself,
  string: atomAsItself,
  uuid: (atom) => ['uuid', atom],
};

export function atomToJson(type: AtomicType, atom: Atom): unknown {
  return atomJsonOf[type](atom);
}

/** The members of `["set", [...]]`, or undefined when `json` is not that form (a bare atom, say). */
export function setMembers(json: unknown): readonly unknown[] | undefined {
  return Array.isArray(json) && json[0] === 'set' && json.length === 2 && Array.isArray(json[1]) ? (json[1] as unknown[]) : undefined;
}

/** The pairs of `["map", [...]]`, or undefined when `json` is not that form. */
export function mapPairs(json: unknown): readonly unknown[] | undefined {
  return Array.isArray(json) && json[0] === 'map' && json.length === 2 && Array.isArray(json[1]) ? (json[1] as unknown[]) : undefined;
}

/** A set's JSON: the bare atom for one member (as ovsdb-server sends it), else `["set", [...]]`. */
export function setToJson<T>(members: readonly T[], memberToJson: (member: T) => unknown): unknown {
  return members.length === 1 ? memberToJson(members[0] as T) : ['set', members.map(memberToJson)];
}
