import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import {
  CompileSession,
  formatInputIssue,
  formatWarning,
  JsonObjectSplitter,
  manifestId,
  objectsOfDelta,
  groupNbRows,
  listNbRows,
  ownerObjectOf,
  readManifest,
  rowKey,
  watchEventsOfText,
  WatchStreamSyntaxError,
  type CompileOptions,
  type NbRow,
  type NbRows,
  type ObjectRef,
  type RowDelta,
  type SessionEvent,
  type SourceRef,
  type WatchEvent,
} from '@ovn-nbgen/core';
import { OvsdbClient, OvsdbError, parseRemotes, ReconcileError, Reconciler, RemoteSyntaxError, type TlsFiles } from '@ovn-nbgen/ovsdb';
import { inCliTerms } from '../coreWording.js';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { compileFlags, compileSettings, DB_FLAGS_HELP, dbFlags, LIVE_COMPILE_FLAGS_HELP } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';

export const syncCommand: Command = {
  summary: 'keep a live NB in sync with a stream of kubectl watch events (incremental)',
  usage: `nbgen sync -f PATH|- [--db REMOTE] [--owner NAME] [flags]

Reads Kubernetes watch events as \`kubectl get ... --watch --output-watch-events -o json\` prints
them ({"type": "ADDED"|"MODIFIED"|"DELETED"|"BOOKMARK"|"ERROR", "object": {...}}, one JSON object
after another; several streams may be concatenated or interleaved object by object), optionally
after an initial list as \`kubectl get -o json\` prints it. Each event is compiled incrementally and
the rows it changes are committed in small transactions; events that arrive together share one.
Only the objects seen in the stream are reconciled: rows of the owner that no event produced or
removed are left alone. An object that does not validate is reported on stderr with its position
(\`-#12 spec.podSelector: ...\`) and skipped; the rows of other objects are not touched. A lost NB
connection is re-established and every object seen so far reconciled again, so nothing is lost or
written twice. Stops at the end of the input or on SIGTERM, after committing what was read, and
prints a summary (exit 0); text that is not JSON stops it the same way, with exit 2.

  -f, --filename PATH    the event stream: a file, or - for stdin
${LIVE_COMPILE_FLAGS_HELP}
${DB_FLAGS_HELP}

Example:
  kubectl get ns,pods,networkpolicies -A --watch --output-watch-events -o json | nbgen sync -f - --db tcp:10.0.0.1:6641`,
  async run(argv, io) {
    const { values } = parseCommandArgs('sync', argv, { ...compileFlags, ...dbFlags, filename: { type: 'string', short: 'f' } });
    if (values['ovn-version'] !== undefined) throw new UsageError('--ovn-version does not apply: the target is read from the live schema', 'sync');
    if (values.filename === undefined) throw new UsageError('-f PATH (or - for stdin) is required', 'sync');
    const settings = compileSettings('sync', values);
    const connection = connectionOf(values);
    const stream: Readable =
      values.filename === '-'
        ? (io.stdinStream?.() ?? Readable.from([await io.readStdin()]))
        : createReadStream(resolve(io.cwd, values.filename));
    const sync = await StreamSync.start(connection, settings.compileOptions, values.filename, io);
    const stop = (): void => {
      sync.stopping = true;
      stream.destroy();
    };
    process.once('SIGTERM', stop);
    try {
      await sync.consume(stream);
    } finally {
      process.off('SIGTERM', stop);
      await sync.close();
    }
    io.stdout(`${sync.summary()}\n`);
    return sync.unreadable ? EXIT_BAD_INPUT : EXIT_OK;
  },
};

interface Connection {
  readonly remote: string | undefined;
  readonly tls: TlsFiles | undefined;
}

function connectionOf(values: { db?: string | undefined; 'private-key'?: string | undefined; certificate?: string | undefined; 'ca-cert'?: string | undefined }): Connection {
  if (values.db !== undefined) {
    try {
      parseRemotes(values.db);
    } catch (error) {
      if (error instanceof RemoteSyntaxError) throw new UsageError(`--db: ${error.message}`, 'sync');
      throw error;
    }
  }
  const tlsGiven = [values['private-key'], values.certificate, values['ca-cert']].filter((x) => x !== undefined).length;
  if (tlsGiven !== 0 && tlsGiven !== 3) throw new UsageError('--private-key, --certificate and --ca-cert go together', 'sync');
  const tls = tlsGiven === 3 ? { privateKeyFile: values['private-key']!, certificateFile: values.certificate!, caCertFile: values['ca-cert']! } : undefined;
  return { remote: values.db, tls };
}

/** Reconnect attempts after a lost NB before giving up (about a minute with the backoff below). */
const MAX_RESUME_ATTEMPTS = 40;
const resumeDelayMs = (attempt: number): number => Math.min(2000, 50 * 2 ** attempt);

const objectKey = (o: ObjectRef): string => `${o.kind} ${o.namespace}/${o.name}`;

/**
 * One sync: the compile session, the NB connection, and the rows that wait for a commit. An object
 * is reconciled whole the first time one of its rows changes (rows of the owner it no longer
 * produces are deleted), afterwards row by row: the rows its events changed, each against the NB
 * row of its identity (a namespace's shared address sets are one object of hundreds of rows).
 * Every object ever touched is remembered: after a lost connection they are all reconciled again
 * whole (a transaction in flight may or may not have committed; re-diffing against the NB settles it).
 */
class StreamSync {
  stopping = false;
  /** The stream stopped being JSON: sync stops there (exit 2). */
  unreadable = false;
  /** Objects seen for the first time, reconciled whole by the next commit. */
  private readonly pendingObjects = new Map<string, ObjectRef>();
  /** Rows the session changed since the last commit, by rowKey: the last change of each (gone: removed). */
  private readonly pendingRows = new Map<string, { readonly row: NbRow; readonly gone: boolean }>();
  private readonly touched = new Map<string, ObjectRef>();
  private events = 0;
  private skipped = 0;
  private transactions = 0;
  private operations = 0;
  private resumes = 0;
  /** Text read and not yet compiled; the loop that compiles and commits it, and what stopped it. */
  private readonly queued: string[] = [];
  private readonly splitter = new JsonObjectSplitter();
  private position = 0;
  private ended = false;
  private splitterEnded = false;
  private pumping: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  private constructor(
    private readonly connection: Connection,
    private readonly session: CompileSession,
    private readonly file: string,
    private readonly io: CliIo,
    private client: OvsdbClient,
    private reconciler: Reconciler,
  ) {}

  static async start(connection: Connection, options: CompileOptions, file: string, io: CliIo): Promise<StreamSync> {
    const { client, reconciler } = await connect(connection, options.owner);
    const session = new CompileSession({ ...options, capabilities: reconciler.capabilities });
    return new StreamSync(connection, session, file, io, client, reconciler);
  }

  /**
   * Reads the stream to its end (or SIGTERM). Reading only queues text: one loop (`pump`) takes
   * all the text queued, compiles its events as one batch and commits them in one transaction,
   * then takes what arrived meanwhile. A stream faster than a commit makes bigger batches, not
   * a queue in the pipe, and the commit's replies are not held up behind compiling. What arrives
   * while a commit is in flight is compiled during it, once, so nbgen and ovsdb-server work side
   * by side instead of in turn.
   */
  async consume(stream: Readable): Promise<void> {
    stream.setEncoding('utf8');
    try {
      for await (const chunk of stream as AsyncIterable<string>) {
        this.queued.push(chunk);
        this.pump();
        if (this.failure !== undefined || this.unreadable || this.stopping) break;
      }
      this.ended = !this.stopping;
    } catch (error) {
      if (!this.stopping) {
        await this.pumped().catch(() => undefined);
        throw error;
      }
    }
    await this.pumped();
    // The end of the stream reached the pump after its last run.
    this.pump();
    await this.pumped();
  }

  /** Starts the read-compile-commit loop unless it runs. */
  private pump(): void {
    if (this.pumping !== undefined || this.failure !== undefined || !this.readable()) return;
    this.pumping = (async () => {
      // Never settles before `pumping` is set (its `finally` clears it).
      await null;
      try {
        while (this.readable() || this.pendingObjects.size + this.pendingRows.size > 0) {
          if (this.readable()) this.read(this.queued.splice(0));
          const committing = this.commit();
          // Handled below; meanwhile a rejection must not count as unhandled.
          committing.catch(() => undefined);
          // While ovsdb-server commits, compile what arrived meanwhile (the commit took its rows
          // when it started; the next commit, of these, waits for it and plans against what it
          // wrote). One batch at most, so the commit's replies are not held up behind compiling.
          await new Promise<void>((resolve) => setImmediate(resolve));
          try {
            if (this.readable()) this.read(this.queued.splice(0));
          } finally {
            await committing;
          }
        }
      } catch (error) {
        this.failure = { error };
      } finally {
        this.pumping = undefined;
      }
    })();
  }

  /** Text to compile: queued, or the end of the input not yet given to the splitter. */
  private readable(): boolean {
    return !this.unreadable && (this.queued.length > 0 || (this.ended && !this.splitterEnded));
  }

  /** Waits for the loop; throws what stopped it. */
  private async pumped(): Promise<void> {
    while (this.pumping !== undefined) await this.pumping;
    if (this.failure !== undefined) throw this.failure.error;
  }

  /** Splits, parses and validates the text; its events go into the session as one batch. */
  private read(chunks: readonly string[]): void {
    const batch: SessionEvent[] = [];
    const values: { text: string; line: number }[] = [];
    try {
      for (const chunk of chunks) values.push(...this.splitter.push(chunk));
      if (this.splitter.failure) throw this.splitter.failure;
      // The loop takes the whole queue: once the input has ended, this is its last text.
      if (this.ended) {
        this.splitterEnded = true;
        this.splitter.end();
      }
    } catch (error) {
      if (!(error instanceof WatchStreamSyntaxError)) throw error;
      this.io.stderr(`nbgen: ${this.file}: ${error.message}; stopping after committing what came before\n`);
      this.unreadable = true;
    }
    for (const value of values) {
      const source: SourceRef = { file: this.file, doc: this.position++ };
      for (const event of watchEventsOfText(value, source)) {
        const sessionEvent = this.sessionEventOf(event);
        if (sessionEvent) batch.push(sessionEvent);
      }
    }
    if (batch.length === 0) return;
    this.noteDelta(this.session.apply(batch));
    for (const issue of this.session.unresolved()) this.io.stderr(`${inCliTerms(formatInputIssue(issue))} (NAT rows held until it resolves)\n`);
  }

  /** A watch event as the session takes it, or undefined (skipped with a report, or not ours). */
  private sessionEventOf(event: WatchEvent): SessionEvent | undefined {
    switch (event.type) {
      case 'bookmark':
        return undefined;
      case 'error':
        this.skip(event.source, event.message);
        return undefined;
      case 'delete': {
        const id = manifestId(event.object);
        if (id === null) {
          this.skip(event.source, 'DELETED: no kind and metadata.name nbgen compiles');
          return undefined;
        }
        this.events++;
        return { type: 'remove', id };
      }
      case 'upsert': {
        const reading = readManifest(event.object, event.source);
        if (reading.ok === 'ignored') return undefined;
        if (reading.ok === false) {
          this.skipped++;
          for (const issue of reading.issues) this.io.stderr(`${inCliTerms(formatInputIssue(issue))} (skipped)\n`);
          return undefined;
        }
        this.events++;
        return { type: 'upsert', object: reading.object };
      }
    }
  }

  private noteDelta(delta: RowDelta): void {
    for (const object of objectsOfDelta(delta)) {
      const key = objectKey(object);
      if (this.touched.has(key)) continue;
      this.pendingObjects.set(key, object);
      this.touched.set(key, object);
    }
    for (const row of delta.added) this.pendingRows.set(rowKey(row), { row, gone: false });
    for (const row of delta.changed) this.pendingRows.set(rowKey(row), { row, gone: false });
    for (const row of delta.removed) this.pendingRows.set(rowKey(row), { row, gone: true });
  }

  private skip(source: SourceRef, message: string): void {
    this.skipped++;
    this.io.stderr(`${inCliTerms(formatInputIssue({ source, path: '', message }))} (skipped)\n`);
  }

  /**
   * Commits the pending objects' rows in one transaction (their rows are taken now: events read
   * while it is in flight go to the next one); after a lost NB, resumes.
   */
  private async commit(): Promise<void> {
    if (this.pendingObjects.size + this.pendingRows.size === 0) return;
    const whole = new Set(this.pendingObjects.keys());
    const objects = [...this.pendingObjects.values()];
    const rows: NbRow[] = [];
    const removed: NbRow[] = [];
    for (const { row, gone } of this.pendingRows.values()) {
      // An object reconciled whole brings all its current rows (below) and loses the others.
      if (whole.has(objectKey(ownerObjectOf(row)))) continue;
      (gone ? removed : rows).push(row);
    }
    this.pendingObjects.clear();
    this.pendingRows.clear();
    const objectRows = this.session.rowsOfObjects(objects);
    try {
      await this.commitRows(objects, groupNbRows([...listNbRows(objectRows), ...rows]), removed);
    } catch (error) {
      if (!isConnectionLoss(error)) throw error;
      await this.resume(error as Error);
    }
  }

  private async commitRows(objects: readonly ObjectRef[], rows: NbRows, removed: readonly NbRow[]): Promise<void> {
    this.counted(await this.reconciler.reconcileRows({ objects, rows, removed }));
  }

  private async reconcile(objects: readonly ObjectRef[]): Promise<void> {
    this.counted(await this.reconciler.reconcileObjects(objects, this.session.rowsOfObjects(objects)));
  }

  private counted(result: { readonly committed: boolean; readonly operations: number }): void {
    if (result.committed) {
      this.transactions++;
      this.operations += result.operations;
    }
  }

  /** Reconnects and reconciles every object seen so far: the NB then holds exactly the session's rows for them. */
  private async resume(cause: Error): Promise<void> {
    this.io.stderr(`nbgen: lost the NB (${cause.message}); reconnecting\n`);
    for (let attempt = 1; ; attempt++) {
      await this.dropConnection();
      await new Promise((done) => setTimeout(done, resumeDelayMs(attempt)));
      try {
        const { client, reconciler } = await connect(this.connection, this.session.options.owner);
        this.client = client;
        this.reconciler = reconciler;
        await this.reconcile([...this.touched.values()]);
        this.resumes++;
        this.io.stderr(`nbgen: reconnected; ${this.touched.size} objects reconciled again\n`);
        return;
      } catch (error) {
        if (!isConnectionLoss(error) || attempt >= MAX_RESUME_ATTEMPTS) throw error;
      }
    }
  }

  private async dropConnection(): Promise<void> {
    await this.reconciler.close().catch(() => undefined);
    await this.client.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    for (const warning of this.session.warnings()) this.io.stderr(`${formatWarning(warning)}\n`);
    await this.dropConnection();
  }

  summary(): string {
    const resumed = this.resumes > 0 ? `, resumed ${this.resumes} time${this.resumes === 1 ? '' : 's'} after a lost NB` : '';
    return `synced ${this.events} events (${this.skipped} skipped) in ${this.transactions} transactions, ${this.operations} operations${resumed}`;
  }
}

async function connect(connection: Connection, owner: string): Promise<{ client: OvsdbClient; reconciler: Reconciler }> {
  const client = await OvsdbClient.connect({
    ...(connection.remote !== undefined ? { remote: connection.remote } : {}),
    session: { ...(connection.tls ? { tls: connection.tls } : {}), maxConnectAttempts: 3, requestTimeoutMs: 120_000 },
  });
  try {
    return { client, reconciler: await Reconciler.start(client, { owner, monitorTimeoutMs: 120_000 }) };
  } catch (error) {
    await client.close();
    throw error;
  }
}

/** Errors after which the NB may be back later: connection and session failures, not refusals of input. */
function isConnectionLoss(error: unknown): boolean {
  if (error instanceof ReconcileError) return error.code === 'NBGEN_RECONCILE_GAVE_UP';
  return error instanceof OvsdbError && CONNECTION_LOSS.has(error.code);
}

const CONNECTION_LOSS = new Set(['OVSDB_CONNECTION_LOST', 'OVSDB_CONNECT_FAILED', 'OVSDB_TIMEOUT', 'OVSDB_NOT_LEADER', 'OVSDB_CLOSED']);
