/**
 * Comparing two OVSDB servers' answers: each mints its own row UUIDs, so the in-memory server's
 * UUIDs are mapped to the real server's ones (learned from insert results at the same operation
 * positions), and whatever cannot be mapped — `_version`s, the fresh UUID behind an undeclared
 * named-uuid — becomes a placeholder on both sides. Orders that depend on UUID values are made
 * canonical after mapping: select rows, set elements, and the two rows of a duplicate-index
 * message (ovsdb-server names the row with the smaller UUID first; among 3+ equal inserted rows
 * the pair it reports follows its hash order, so those UUIDs are hidden).
 */
const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ZERO = '00000000-0000-0000-0000-000000000000';

export type Side = 'memory' | 'real';

export class UuidMapping {
  private readonly memoryToReal = new Map<string, string>();
  private readonly realUuids = new Set<string>();

  /** Pairs the UUIDs of insert results at the same positions. */
  learn(memoryResults: unknown, realResults: unknown): void {
    if (!Array.isArray(memoryResults) || !Array.isArray(realResults)) return;
    memoryResults.forEach((m, i) => {
      const r = realResults[i] as { uuid?: unknown } | null;
      const mu = (m as { uuid?: unknown } | null)?.uuid;
      if (Array.isArray(mu) && Array.isArray(r?.uuid)) {
        this.memoryToReal.set(mu[1] as string, r.uuid[1] as string);
        this.realUuids.add(r.uuid[1] as string);
      }
    });
  }

  private mapUuid(uuid: string, side: Side): string {
    if (uuid === ZERO) return uuid;
    if (side === 'memory') return this.memoryToReal.get(uuid) ?? '<unmapped>';
    return this.realUuids.has(uuid) ? uuid : '<unmapped>';
  }

  /** A value with UUIDs mapped, `_version` hidden, select rows and sets in canonical order. */
  normalize(value: unknown, side: Side): unknown {
    if (typeof value === 'string') {
      const text = value.replace(UUID_IN_TEXT, (u) => this.mapUuid(u, side));
      return canonicalDuplicateIndexMessage(text);
    }
    if (Array.isArray(value)) {
      const items = value.map((v) => this.normalize(v, side));
      if (items[0] === 'set' && Array.isArray(items[1])) return ['set', sortByJson(items[1] as unknown[])];
      return items;
    }
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[key];
        // Row UUIDs are also object keys (monitor table-updates).
        out[this.normalize(key, side) as string] = key === '_version' ? '<version>' : this.normalize(v, side);
      }
      if (Array.isArray(out.rows)) out.rows = sortByJson(out.rows as unknown[]);
      return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
    }
    return value;
  }
}

function sortByJson(items: unknown[]): unknown[] {
  return items
    .map((i) => [JSON.stringify(i), i] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, i]) => i);
}

/** `... First row, with UUID A, <how>.  Second row, with UUID B, <how>.` in a UUID-free order. */
export function canonicalDuplicateIndexMessage(text: string): string {
  const match = /^(.*?)  (First row, .*?)  (Second row, .*)$/s.exec(text);
  if (!match) return text;
  const first = (match[2] as string).replace(/^First/, '');
  const second = (match[3] as string).replace(/^Second/, '');
  let [a, b] = first <= second ? [first, second] : [second, first];
  // With three or more equal rows inserted, which pair is reported depends on ovsdb-server's hash
  // order: keep the wording, not the UUIDs.
  const inserted = / row, with UUID .*?, was inserted by this transaction\.$/;
  if (inserted.test(a) && inserted.test(b)) {
    a = a.replace(/UUID [^,]*,/, 'UUID <inserted>,');
    b = b.replace(/UUID [^,]*,/, 'UUID <inserted>,');
  }
  return `${match[1]}  First${a}  Second${b}`;
}

/**
 * When one operation or the commit fails for several rows at once (three rows with an equal
 * index, two rows gaining a dangling reference, `priority += k` overflowing on several ACLs),
 * ovsdb-server names the first it meets in its hash-table order, which no other server can
 * reproduce. For such a slot only the error tag and the wording must match: UUIDs and numbers in
 * `details` are masked. `orderDependentSlots` says which slots needed it, so a test can report it.
 */
export function maskOrderDependentDetails(memory: unknown, real: unknown, operationCount?: number): { memory: unknown; real: unknown; masked: number[] } {
  if (!Array.isArray(memory) || !Array.isArray(real) || memory.length !== real.length) return { memory, real, masked: [] };
  const masked: number[] = [];
  const mask = (s: string) =>
    canonicalDuplicateIndexMessage(s.replace(/<unmapped>|<inserted>|[0-9a-f]{8}-[0-9a-f-]{27}/g, '<uuid>').replace(/-?\d+/g, '<n>'));
  const m = memory.map((slot, i) => {
    const r = real[i] as { error?: unknown; details?: unknown } | null;
    const ms = slot as { error?: unknown; details?: unknown } | null;
    if (!ms || !r || typeof ms.details !== 'string' || typeof r.details !== 'string' || ms.details === r.details || ms.error !== r.error) return slot;
    masked.push(i);
    return { ...ms, details: mask(ms.details) };
  });
  const rr = real.map((slot, i) => (masked.includes(i) ? { ...(slot as object), details: mask((slot as { details: string }).details) } : slot));
  // The commit slot (one past the operations) may hold a different one of several simultaneous
  // violations (two different duplicate names...): there only the error tag has to match.
  const commit = memory.length - 1;
  const mc = m[commit] as { error?: unknown; details?: unknown } | null;
  const rc = rr[commit] as { error?: unknown; details?: unknown } | null;
  if (operationCount !== undefined && commit === operationCount && masked.includes(commit) && mc && rc && mc.details !== rc.details) {
    m[commit] = { error: mc.error, details: '<one of several violations>' };
    rr[commit] = { error: rc.error, details: '<one of several violations>' };
  }
  return { memory: m, real: rr, masked };
}
