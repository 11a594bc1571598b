import { ovnName, stableHash } from '../naming/ovnName.js';
import { ownedExternalIds } from '../ownership.js';
import { AddressSetRow } from '../rows/index.js';

/**
 * Address sets of NetworkPolicy peers, shared by every policy of the compile.
 *
 * Equal peers share one set: the identity is the peer's canonical text (`ns=prod pods={app=web}`,
 * see PeerResolver), so ten policies allowing from `namespaceSelector: {}` reference one set of
 * all pod IPs instead of ten copies (the memory and flow cost that matters at 50k pods). The
 * rows belong to the owner kind `Shared`; the readable identity is in `nbgen/rule`.
 *
 * Names: `nppeer.<namespace>.H<hash>.Ip4` for a peer confined to one namespace, `nppeer.H<hash>.Ip4`
 * for a cluster-wide one; a named-port subset adds its number, `nppeer.H<hash>.Tcp8080.Ip4`. The
 * hash is over the identity, so the name is stable while the selector stays the same, whatever
 * pods come and go. Sets that would be empty are not written and not referenced: an empty peer
 * allows nothing, so the rule's ACL for that family is left out.
 */
export interface SetIdentity {
  /** Canonical identity text, e.g. `ns=prod pods={app=web}` or `... port=TCP/http=8080`. */
  readonly key: string;
  /** The namespace the peer is confined to, shown in the name; null for cluster-wide peers. */
  readonly scope: string | null;
  /** Extra readable name segments (uppercase first letter), e.g. `Tcp8080`. */
  readonly variant: readonly string[];
  readonly family: 4 | 6;
}

export const SHARED_PEER_OBJECT = 'networkpolicy-peers';

/** The name of the set for `identity` (`hash`: stableHash of its key, when already known). */
export function sharedSetName(identity: SetIdentity, hash: string = stableHash(identity.key)): string {
  return ovnName('nppeer', identity.scope === null ? [] : [identity.scope], [`H${hash}`, ...identity.variant, `Ip${identity.family}`]);
}

/** The row of a shared set: `familyKey` is the identity key and family, as `reference` writes it. */
export function sharedSetRow(owner: string, identity: SetIdentity, name: string, addresses: readonly string[]): AddressSetRow {
  return AddressSetRow({
    name,
    addresses,
    externalIds: ownedExternalIds(owner, { kind: 'Shared', namespace: identity.scope ?? '', name: SHARED_PEER_OBJECT }, `${identity.key} ip${identity.family}`),
  });
}

export class SharedAddressSets {
  private readonly byName = new Map<string, { key: string; row: AddressSetRow | null }>();
  /** Identity (with family) → set name, or null for an empty set: the hash is computed once. */
  private readonly byKey = new Map<string, string | null>();
  private readonly memo = new WeakMap<object, Map<string, string | null>>();
  private readonly hashes = new Map<string, string>();

  /** Set while `recordingUses` runs: names of the non-empty sets referenced. */
  private uses: Set<string> | null = null;

  /**
   * @param current  rows of plain peer sets known to be current (a CompileSession's, patched
   *   before it recompiles): reused instead of collecting and sorting the addresses again.
   */
  constructor(
    private readonly owner: string,
    private readonly current?: (name: string) => AddressSetRow | undefined,
  ) {}

  /**
   * Runs `compile` and returns the names of the (non-empty) sets it referenced: a CompileSession
   * keeps, per policy, which shared sets the policy holds, to drop a set no policy holds.
   */
  recordingUses<T>(compile: () => T): { readonly result: T; readonly uses: ReadonlySet<string> } {
    const uses = new Set<string>();
    this.uses = uses;
    try {
      return { result: compile(), uses };
    } finally {
      this.uses = null;
    }
  }

  private used(ref: string | null): string | null {
    if (ref !== null && this.uses !== null) this.uses.add(ref);
    return ref;
  }

  /**
   * The name of the set for `identity`, writing it from `addresses()` on first use; null when the
   * set would be empty.
   */
  reference(identity: SetIdentity, addresses: () => readonly string[]): string | null {
    const familyKey = `${identity.key} ip${identity.family}`;
    const known = this.byKey.get(familyKey);
    if (known !== undefined) return this.used(known);
    const name = sharedSetName(identity, this.hashOf(identity.key));
    let entry = this.byName.get(name);
    const reusable = identity.variant.length === 0 ? this.current?.(name) : undefined;
    if (!entry && reusable) {
      entry = { key: familyKey, row: reusable };
      this.byName.set(name, entry);
    } else if (!entry) {
      const list = addresses();
      const row =
        list.length === 0
          ? null
          : sharedSetRow(this.owner, identity, name, list);
      entry = { key: familyKey, row };
      this.byName.set(name, entry);
    } else if (entry.key !== familyKey) {
      // 64-bit hashes of a few thousand identities: never expected, but never silently merged.
      throw new Error(`internal: address set name ${name} stands for both "${entry.key}" and "${familyKey}"`);
    }
    const ref = entry.row === null ? null : name;
    this.byKey.set(familyKey, ref);
    return this.used(ref);
  }

  /**
   * `reference`, remembered per (owner, slot): a peer object and `ip4` say, so the hot path of
   * 10k policies does not rebuild identity text for every rule that names the same peer.
   */
  referenceVia(owner: object, slot: string, identity: () => SetIdentity, addresses: () => readonly string[]): string | null {
    let slots = this.memo.get(owner);
    if (!slots) this.memo.set(owner, (slots = new Map()));
    let ref = slots.get(slot);
    if (ref === undefined) {
      ref = this.reference(identity(), addresses);
      slots.set(slot, ref);
    }
    return this.used(ref);
  }

  /**
   * What `referenceVia(owner, slot, …)` answered before (recorded as a use again), or undefined
   * when it was not asked yet: lets a caller skip making the callbacks on the many repeat calls.
   */
  remembered(owner: object, slot: string): string | null | undefined {
    const ref = this.memo.get(owner)?.get(slot);
    return ref === undefined ? undefined : this.used(ref);
  }

  /** The IPv4 and IPv6 sets of one identity share the hash: computed once. */
  private hashOf(key: string): string {
    let hash = this.hashes.get(key);
    if (hash === undefined) {
      hash = stableHash(key);
      this.hashes.set(key, hash);
    }
    return hash;
  }

  /** The row of a set written in this compile (null for an empty or unknown one). */
  row(name: string): AddressSetRow | null {
    return this.byName.get(name)?.row ?? null;
  }

  rows(): AddressSetRow[] {
    const out: AddressSetRow[] = [];
    for (const { row } of this.byName.values()) if (row) out.push(row);
    return out;
  }
}
