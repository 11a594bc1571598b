/**
 * A row's string map (external_ids, options, vips) as the row keeps it: the caller's own map when
 * it is already a frozen plain object (ownedExternalIds' maps, a direction's shared options), else
 * a frozen copy. A frozen plain object cannot change under the row, so copying it only costs: two
 * objects per ACL at 20,000 ACLs.
 */
export function frozenMap<T extends Readonly<Record<string, string>>>(map: T): T {
  if (Object.isFrozen(map) && Object.getPrototypeOf(map) === Object.prototype) return map;
  return Object.freeze({ ...map });
}
