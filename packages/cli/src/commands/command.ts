import type { CliIo } from '../io.js';

/**
 * One `nbgen` subcommand. To add one: write `src/commands/<name>.ts` exporting a Command, and add
 * one line to the `commands` table in `src/commands/index.ts`.
 *
 * - `run` receives the arguments after the command name and returns the exit code for success
 *   (EXIT_OK, or EXIT_FOUND for a command that reports findings). It writes its result with
 *   `io.stdout` only once it is complete, so a failure leaves stdout empty.
 * - Failures are thrown, never printed: InputError (from core), UsageError, FileError, ... are
 *   turned into a message and an exit code in one place, `reportError` in `src/errors.ts`.
 * - `--help` / `-h` and `nbgen help <name>` print `usage`; the command never sees them.
 */
export interface Command {
  /** One line for the command list of `nbgen help`. */
  readonly summary: string;
  /** Full help: synopsis, flags, examples. */
  readonly usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** The command table's shape: each command by name, as a loader of its module. */
export type CommandLoaders = Readonly<Record<string, () => Promise<Command>>>;
