/** A real row UUID as the server reports it (36-character lowercase text). */
export type Uuid = string & { readonly __brand: 'Uuid' };

/**
 * A `["named-uuid", name]` reference: the row a `uuid-name`d insert of the same transaction
 * creates. Only meaningful inside one `transact` (RFC 7047 §5.1).
 */
export interface NamedUuid {
  readonly namedUuid: string;
}

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000' as Uuid;

/** The one UUID syntax (RFC 7047 §3.1 `<uuid>`): the client, the in-memory server and `cid:` remotes use it. */
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** RFC 7047 §3.1 `<id>`: uuid-names, lock names and the like. */
const ID_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isUuid(value: unknown): value is Uuid {
  return typeof value === 'string' && value.length === 36 && UUID_PATTERN.test(value);
}

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** Brands a string as a Uuid; throws on anything else. */
export function uuid(value: string): Uuid {
  if (!isUuid(value)) throw new TypeError(`not a UUID: ${JSON.stringify(value)}`);
  return value;
}

export function namedUuid(name: string): NamedUuid {
  if (!isId(name)) throw new TypeError(`not a valid uuid-name: ${JSON.stringify(name)}`);
  return Object.freeze({ namedUuid: name });
}

export function isNamedUuid(value: unknown): value is NamedUuid {
  return typeof value === 'object' && value !== null && typeof (value as NamedUuid).namedUuid === 'string';
}
