import {
  CompileSession,
  emptyNbRows,
  objectsOfDelta,
  type Capabilities,
  type CompileOptions,
  type NbRow,
  type NbRows,
  type ObjectRef,
  type RowDelta,
} from '@ovn-nbgen/core';
import { checkDeletionLimit, DeletionLimitError, type DeletionLimit } from '@ovn-nbgen/core/script';
import { OvsdbError } from '../errors.js';
import type { OvsdbClient } from '../client/client.js';
import type { MonitorCache } from '../cache/index.js';
import { capabilitiesFromSchema } from '../schema/capabilities.js';
import { exponentialBackoff, type BackoffFunction } from '../session/backoff.js';
import { ReconcileError } from './errors.js';
import { deletionCounts, isEmptyPlan, planCounts, type ReconcilePlan, type TableCounts } from './reconcilePlan.js';
import { PlanMemo } from './reconcileMemo.js';
import { planReconcile, type PlanOptions } from './reconcilePlanner.js';
import { NbState, stateMonitorIndexes, stateMonitorTables } from './state.js';
import { buildTransaction, leaveOutEmpty } from './transaction.js';

export interface ReconcilerOptions {
  /** Rows carrying `external_ids:nbgen/owner = owner` are this reconciler's; no others are touched. */
  readonly owner: string;
  /** Attempts when a concurrent writer or a lost connection defeats a commit (default 5). */
  readonly maxAttempts?: number;
  /** Deadline of one commit (default 60 s plus 1 ms per operation: a 100k-row apply is one transaction). */
  readonly transactTimeoutMs?: number;
  /** Pause before attempt n (1-based, n >= 2); default RETRY_BACKOFF (10·2^n to 30·2^n ms). Injectable for tests. */
  readonly backoff?: BackoffFunction;
  /** Monitor request deadline (the initial dump of a big NB takes seconds). */
  readonly monitorTimeoutMs?: number;
  /**
   * Remember between plans which desired rows were found equal to which database rows, so the next
   * plan skips them (default true: a controller plans again and again). A one-shot command plans
   * once: false saves the remembering (a WeakMap entry per row found equal, a set lineage per
   * Port_Group and Address_Set, and the garbage collector's work on them). Plans are the same.
   */
  readonly remember?: boolean;
}

export type ReconcilePhase =
  | { readonly phase: 'planned'; readonly attempt: number; readonly plan: ReconcilePlan; readonly operations: number }
  | { readonly phase: 'committed'; readonly attempt: number; readonly millis: number }
  | { readonly phase: 'retrying'; readonly attempt: number; readonly error: OvsdbError };

export interface ReconcileRunOptions {
  /** Plan only; nothing is sent. */
  readonly dryRun?: boolean;
  /** Called as the reconcile moves on (the CLI shows it as progress). */
  readonly onProgress?: (event: ReconcilePhase) => void;
  /**
   * The reconciler's last use (a one-shot `nbgen apply`): the monitor is cancelled once the plan
   * is made, so ovsdb-server does not send every written row back to a cache nobody will read —
   * for a 100k-row apply, composing that update costs the server about half as much again as the
   * commit itself. A commit that must be retried starts a new monitor to plan from. Afterwards
   * (whatever the outcome) the reconciler is closed.
   */
  readonly oneShot?: boolean;
  /**
   * Refuse (DeletionLimitError, nothing sent) a plan that deletes more of the owner's rows than
   * this allows; checked on every attempt's plan, as a retry plans again. Not checked with dryRun:
   * the caller has the plan and can check it (`checkDeletionLimit(owner, deletionCounts(plan), limit)`).
   */
  readonly deletionLimit?: DeletionLimit;
}

export interface ReconcileResult {
  /** The plan that was committed (or would be, with dryRun). */
  readonly plan: ReconcilePlan;
  readonly counts: TableCounts;
  /** Operations in the committed transaction (0 when nothing differed). */
  readonly operations: number;
  /** Size of the transact request as sent (UTF-8 bytes of its JSON). */
  readonly bytes: number;
  /** Commits tried (1 unless a concurrent writer or a lost connection forced a re-plan). */
  readonly attempts: number;
  readonly committed: boolean;
}

/** Errors after which the database is as before the commit (or unknown, for a lost connection) and a re-plan is safe. */
function isRetryable(error: unknown): error is OvsdbError {
  if (!(error instanceof OvsdbError)) return false;
  switch (error.code) {
    case 'OVSDB_WAIT_FAILED': // what we read changed: someone else wrote
    case 'OVSDB_CONSTRAINT_VIOLATION': // a unique name appeared concurrently
    case 'OVSDB_REFERENTIAL_INTEGRITY': // a parent we add to vanished concurrently
    case 'OVSDB_CONNECTION_LOST': // may or may not have committed: never resend, re-read
    case 'OVSDB_TIMEOUT':
    case 'OVSDB_NOT_LEADER':
      return true;
    default:
      return false;
  }
}

interface Followed {
  readonly cache: MonitorCache;
  readonly state: NbState;
  readonly stop: () => void;
}

/** Monitors what planning needs (the owner's rows, names of ports and routers) and waits for it. */
async function follow(client: OvsdbClient, options: ReconcilerOptions): Promise<Followed> {
  const tables = stateMonitorTables(options.owner, capabilitiesFromSchema(client.schema));
  const cache = await client.monitor({
    tables,
    indexes: stateMonitorIndexes(client.schema, Object.keys(tables)),
    ...(options.monitorTimeoutMs !== undefined ? { timeoutMs: options.monitorTimeoutMs } : {}),
  });
  const { state, stop } = NbState.follow(cache);
  return { cache, state, stop };
}

/**
 * The session's backoff with the reconciler's own scale: a commit defeated by a concurrent writer
 * is retried within tens of milliseconds (the writer is done), not after the seconds a dead
 * server is given. Before attempt n: uniform in [10·2^n, 30·2^n] ms (attempt 2: 40–120 ms),
 * capped at the session's 8 s.
 */
const RETRY_BACKOFF: BackoffFunction = exponentialBackoff({ minMs: 60, jitter: 2 / 3 });

/**
 * Keeps the rows of one owner in a live NB equal to what the caller wants, against a monitor cache
 * of the NB: each call plans against the cache (no read of the DB) and commits ONE transaction
 * guarded by `wait`s on what it read. A concurrent writer makes the commit fail cleanly; the
 * reconciler then lets the cache catch up, plans again and retries. A connection lost mid-commit
 * is never resent blindly: the cache resyncs on reconnect and the plan is made again from it, so
 * a commit that did land is seen and not repeated.
 *
 * @example
 *   const client = await OvsdbClient.connect({ remote: 'unix:/run/ovn/ovnnb_db.sock' });
 *   const reconciler = await Reconciler.start(client, { owner: 'my-controller' });
 *   const { rows } = compile(model, { ...options, owner: 'my-controller', capabilities: reconciler.capabilities });
 *   await reconciler.reconcile(rows);                      // everything the owner owns
 *   await reconciler.reconcileObject(policyRef, policyRows); // one policy, from the cache
 *   await reconciler.deleteObject(policyRef);
 */
export class Reconciler {
  private queue: Promise<unknown> = Promise.resolve();
  private memo: { readonly schema: unknown; readonly memo: PlanMemo } | undefined;
  /** The monitor planning reads, and the NbState following it; undefined while dropped for a one-shot commit. */
  private view: Followed | undefined;
  private closed = false;

  private constructor(
    readonly client: OvsdbClient,
    view: Followed,
    private readonly options: ReconcilerOptions,
  ) {
    this.view = view;
  }

  /** Monitors what planning needs (the owner's rows, names of ports and routers) and waits for it. */
  static async start(client: OvsdbClient, options: ReconcilerOptions): Promise<Reconciler> {
    if (options.owner === '') throw new ReconcileError('NBGEN_RECONCILE_INPUT', 'owner must not be empty');
    return new Reconciler(client, await follow(client, options), options);
  }

  /** The monitor cache plans are made from. */
  get cache(): MonitorCache {
    return this.following().cache;
  }

  /** What the NB holds, as the planner reads it. */
  get state(): NbState {
    return this.following().state;
  }

  /** What the served schema can hold: compile with these. */
  get capabilities(): Capabilities {
    return capabilitiesFromSchema(this.client.schema);
  }

  get owner(): string {
    return this.options.owner;
  }

  /** The plan for making the owner's rows equal `rows` (pure, from the cache). */
  plan(rows: NbRows, objects?: readonly ObjectRef[], byRow?: PlanOptions['byRow']): ReconcilePlan {
    const schema = this.client.schema;
    if (this.options.remember === false) {
      return planReconcile(rows, this.following().state, {
        owner: this.options.owner,
        capabilities: capabilitiesFromSchema(schema),
        lineage: false,
        ...(objects ? { objects } : {}),
      });
    }
    // Comparisons remembered under another schema (after an online conversion) do not count.
    if (this.memo?.schema !== schema) this.memo = { schema, memo: new PlanMemo(this.options.owner, capabilitiesFromSchema(schema)) };
    return planReconcile(rows, this.following().state, {
      owner: this.options.owner,
      capabilities: this.memo.memo.capabilities,
      memo: this.memo.memo,
      ...(objects ? { objects } : {}),
      ...(byRow ? { byRow } : {}),
    });
  }

  /** The owner's rows become exactly `rows`: others of the owner are deleted. */
  reconcile(rows: NbRows, options: ReconcileRunOptions = {}): Promise<ReconcileResult> {
    return this.serialized(() => this.commit(() => this.plan(rows), options));
  }

  /**
   * The rows of these objects (and of the objects `rows` come from) become exactly `rows`; the
   * owner's other objects are not looked at. Many objects in one call, one transaction.
   */
  reconcileObjects(objects: readonly ObjectRef[], rows: NbRows, options: ReconcileRunOptions = {}): Promise<ReconcileResult> {
    return this.serialized(() => this.commit(() => this.plan(rows, objects), options));
  }

  /**
   * Row by row: each of `rows` not of `objects`, and each of `removed`, is compared with the NB
   * row of its identity only (rows of `removed` are deleted); the other rows of their objects are
   * not looked at. `objects` are compared whole, with their rows among `rows`, as
   * `reconcileObjects` does. One transaction. For a stream of CompileSession deltas once each
   * object was reconciled whole: an event that changes one of a namespace's hundreds of shared
   * address sets (one object) plans that set alone.
   */
  reconcileRows(changes: { readonly objects: readonly ObjectRef[]; readonly rows: NbRows; readonly removed: readonly NbRow[] }, options: ReconcileRunOptions = {}): Promise<ReconcileResult> {
    return this.serialized(() => this.commit(() => this.plan(changes.rows, changes.objects, { removed: changes.removed }), options));
  }

  reconcileObject(object: ObjectRef, rows: NbRows, options: ReconcileRunOptions = {}): Promise<ReconcileResult> {
    return this.reconcileObjects([object], rows, options);
  }

  /**
   * A CompileSession for this NB: the reconciler's owner and the served schema's capabilities,
   * given once here; other options as given or defaulted.
   */
  compileSession(options: Partial<Omit<CompileOptions, 'owner' | 'capabilities'>> = {}): CompileSession {
    return new CompileSession({ ...options, owner: this.owner, capabilities: this.capabilities });
  }

  /** Commits what a CompileSession event changed: the touched objects' rows, one transaction. */
  reconcileDelta(session: CompileSession, delta: RowDelta, options: ReconcileRunOptions = {}): Promise<ReconcileResult> {
    const objects = objectsOfDelta(delta);
    return this.reconcileObjects(objects, session.rowsOfObjects(objects), options);
  }

  /** Removes every row of the owner produced from `object`. */
  deleteObject(object: ObjectRef, options: ReconcileRunOptions = {}): Promise<ReconcileResult> {
    return this.reconcileObjects([object], emptyNbRows, options);
  }

  /** Stops following the cache and cancels its monitor; the client stays open. */
  async close(): Promise<void> {
    this.closed = true;
    await this.unfollow();
  }

  private following(): Followed {
    if (this.closed) throw new ReconcileError('NBGEN_RECONCILE_INPUT', 'the reconciler is closed');
    if (!this.view) throw new ReconcileError('NBGEN_RECONCILE_BUSY', 'no monitor to plan from: a one-shot commit is in flight');
    return this.view;
  }

  private async unfollow(): Promise<void> {
    const view = this.view;
    this.view = undefined;
    if (view) {
      view.stop();
      await view.cache.close();
    }
  }

  /** One reconcile at a time: each plans against the cache as the previous commit left it. */
  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async commit(makePlan: () => ReconcilePlan, options: ReconcileRunOptions): Promise<ReconcileResult> {
    try {
      return await this.attempts(makePlan, options);
    } finally {
      if (options.oneShot) await this.close();
    }
  }

  private async attempts(makePlan: () => ReconcilePlan, options: ReconcileRunOptions): Promise<ReconcileResult> {
    this.following(); // a closed reconciler refuses at once
    const maxAttempts = this.options.maxAttempts ?? 5;
    const backoff = this.options.backoff ?? RETRY_BACKOFF;
    let lastError: OvsdbError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const plan = makePlan();
      const counts = planCounts(plan);
      if (isEmptyPlan(plan) || options.dryRun) {
        options.onProgress?.({ phase: 'planned', attempt, plan, operations: 0 });
        return { plan, counts, operations: 0, bytes: 0, attempts: attempt, committed: false };
      }
      if (options.deletionLimit) {
        const refusal = checkDeletionLimit(this.options.owner, deletionCounts(plan), options.deletionLimit);
        if (refusal) throw new DeletionLimitError(refusal);
      }
      const txn = this.client.transaction({ validate: false, leaveOutOnInsert: leaveOutEmpty });
      buildTransaction(plan, txn);
      let bytes = 0;
      options.onProgress?.({ phase: 'planned', attempt, plan, operations: txn.length });
      // Nobody will read what the server would send back: let it not compose it. The cancel is
      // not waited for: ovsdb-server reads a connection's requests in order, so it has dropped the
      // monitor before it reads the transaction sent right behind it (one round trip saved).
      const cancelled = options.oneShot ? this.unfollow() : undefined;
      const started = performance.now();
      try {
        try {
          await this.client.transact(txn, {
            timeoutMs: this.options.transactTimeoutMs ?? 60_000 + txn.length,
            onEncoded: (size) => (bytes = size),
          });
        } finally {
          await cancelled;
        }
        options.onProgress?.({ phase: 'committed', attempt, millis: performance.now() - started });
        return { plan, counts, operations: txn.length, bytes, attempts: attempt, committed: true };
      } catch (error) {
        if (!isRetryable(error)) throw error;
        lastError = error;
        options.onProgress?.({ phase: 'retrying', attempt, error });
        if (attempt < maxAttempts) {
          if (this.view) await this.catchUp(backoff(attempt + 1));
          else await this.refollow(backoff(attempt + 1));
        }
      }
    }
    throw new ReconcileError(
      'NBGEN_RECONCILE_GAVE_UP',
      `gave up after ${maxAttempts} attempts: ${lastError?.message ?? 'unknown error'} (the database holds the state before or after one of them; run again)`,
      lastError,
    );
  }

  /** A new monitor after a one-shot commit failed: the next attempt plans from what is there now. */
  private async refollow(pauseMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    this.view = await follow(this.client, this.options);
  }

  /**
   * Lets the cache see what defeated the commit. A round trip on the same session: on reconnect the
   * monitor is re-established before any queued request is sent (OvsdbChannel.onConnected), and
   * ovsdb-server flushes monitor updates before it reads the next request, so once the echo is
   * answered the cache holds at least what the failed commit ran against.
   */
  private async catchUp(pauseMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    for (let i = 0; i < 3; i++) {
      try {
        await this.client.echo();
        return;
      } catch (error) {
        if (!isRetryable(error)) throw error;
      }
    }
  }
}
