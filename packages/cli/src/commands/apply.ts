import { checkDeletionLimit, DeletionLimitError } from '@ovn-nbgen/core/script';
import { deletionCounts, formatCounts, formatPlan, type ReconcilePhase } from '@ovn-nbgen/ovsdb';
import { EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';
import { withLiveNb } from '../liveNb.js';
import { deletionLimitOf, LIVE_WRITE_FLAGS_HELP, liveWriteFlags } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';

export const applyCommand: Command = {
  summary: 'make a live NB hold exactly the compiled rows of the owner (one transaction)',
  usage: `nbgen apply -f PATH... [--db REMOTE] [--owner NAME] [--dry-run] [--max-delete N|P%] [flags]

Compiles the manifests for the target the live Northbound database serves and commits the smallest
transaction that makes the owner's rows (external_ids:nbgen/owner) exactly these: rows are
inserted, changed in place (only the columns that differ; port groups by adding and removing
ports) or deleted when the owner no longer wants them. Rows of other owners and hand-made rows
are never touched. The transaction is atomic and guarded: if another writer changes what was
read, it fails cleanly, and apply reads again and retries (up to 5 times). Running apply twice
changes nothing the second time. Prints what was inserted, updated and deleted per table.
A plan that would delete more of the owner's rows than --max-delete allows is refused: nothing is
written, exit 2, and the message says how many rows of which tables would go (nbgen diff lists them).

      --dry-run          plan and print, write nothing (refused like apply over --max-delete)
${LIVE_WRITE_FLAGS_HELP}

Example:
  nbgen apply -f examples/underlay-service --db tcp:10.0.0.1:6641,tcp:10.0.0.2:6641,tcp:10.0.0.3:6641`,
  async run(argv, io) {
    const { values } = parseCommandArgs('apply', argv, { ...liveWriteFlags, 'dry-run': { type: 'boolean' } });
    const deletionLimit = deletionLimitOf('apply', values['max-delete']);
    const dryRun = values['dry-run'] === true;
    const progress = io.isTty ? new Progress(io) : undefined;
    let result;
    let owner: string;
    try {
      // One reconcile and exit: no cache needs to hear the commit back (oneShot).
      ({ result, owner } = await withLiveNb('apply', values, io, async (reconciler, rows, input) => ({
        result: await reconciler.reconcile(rows, { dryRun, oneShot: true, deletionLimit, ...(progress ? { onProgress: (e) => progress.on(e) } : {}) }),
        owner: input.settings.compileOptions.owner,
      })));
    } finally {
      // On every way out: a timer left running would redraw the line and keep the process alive.
      progress?.done();
    }
    // The reconciler checks the limit before a commit; a dry run is refused the same way.
    const refusal = dryRun ? checkDeletionLimit(owner, deletionCounts(result.plan), deletionLimit) : null;
    if (refusal) throw new DeletionLimitError(refusal);
    for (const warning of result.plan.warnings) io.stderr(`nbgen: ${warning}\n`);
    const lines: string[] = [];
    if (dryRun) lines.push(formatPlan(result.plan).trimEnd(), '(dry run: nothing written)');
    lines.push(formatCounts(result.plan).trimEnd());
    if (result.committed) {
      const retries = result.attempts > 1 ? `, after ${result.attempts - 1} retr${result.attempts === 2 ? 'y' : 'ies'}` : '';
      lines.push(`committed: ${result.operations} operations in 1 transaction (${kib(result.bytes)})${retries}`);
    }
    io.stdout(`${lines.filter((l) => l !== '').join('\n')}\n`);
    return EXIT_OK;
  },
};

function kib(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A one-line status on stderr while a long commit runs (only when stdout is a terminal). */
class Progress {
  private timer: ReturnType<typeof setInterval> | undefined;
  private started = 0;
  private text = '';

  constructor(private readonly io: CliIo) {}

  on(event: ReconcilePhase): void {
    if (event.phase === 'planned' && event.operations > 0) {
      this.text = `committing ${event.operations} operations${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
      this.started = performance.now();
      this.draw();
      this.timer ??= setInterval(() => this.draw(), 500);
    } else if (event.phase === 'retrying') {
      this.text = `${event.error.code}: planning again`;
      this.draw();
    }
  }

  done(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.text !== '') this.io.stderr('\r\u001b[2K');
  }

  private draw(): void {
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    this.io.stderr(`\r\u001b[2K${this.text}… ${seconds}s`);
  }
}
