/**
 * Server-wide locks (`ovsdb/server.c`): per name a queue of waiting sessions whose head owns the
 * lock. `steal` puts the thief at the head; the previous owner stays queued and is told `stolen`.
 */
export interface LockHolder {
  notify(method: 'locked' | 'stolen', lock: string): void;
}

export class LockTable {
  private readonly queues = new Map<string, LockHolder[]>();

  owner(name: string): LockHolder | undefined {
    return this.queues.get(name)?.[0];
  }

  isWaiting(name: string, holder: LockHolder): boolean {
    return this.queues.get(name)?.includes(holder) ?? false;
  }

  /** Queues `holder`; returns whether it owns the lock now. */
  lock(name: string, holder: LockHolder): boolean {
    const queue = this.queues.get(name) ?? [];
    queue.push(holder);
    this.queues.set(name, queue);
    return queue[0] === holder;
  }

  /** Takes the lock; the previous owner (still queued) is told `stolen`. */
  steal(name: string, holder: LockHolder): void {
    const queue = this.queues.get(name) ?? [];
    const victim = queue[0];
    queue.unshift(holder);
    this.queues.set(name, queue);
    if (victim) victim.notify('stolen', name);
  }

  /** Leaves the queue; a new owner is told `locked`. */
  unlock(name: string, holder: LockHolder): void {
    const queue = this.queues.get(name);
    if (!queue) return;
    const wasOwner = queue[0] === holder;
    const i = queue.indexOf(holder);
    if (i >= 0) queue.splice(i, 1);
    if (queue.length === 0) this.queues.delete(name);
    else if (wasOwner) (queue[0] as LockHolder).notify('locked', name);
  }

  /** Every lock `holder` is queued for (session end). */
  namesOf(holder: LockHolder): string[] {
    return [...this.queues].filter(([, q]) => q.includes(holder)).map(([name]) => name);
  }
}
