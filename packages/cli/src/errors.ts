import { CapabilityError, InputError, ScriptValueError, formatInputIssue } from '@ovn-nbgen/core';
import { OvsdbError, ReconcileError } from '@ovn-nbgen/ovsdb';
import type { CliIo } from './io.js';

/**
 * Exit codes, decided here and nowhere else:
 *   0 done; 1 the command found something (commands that report findings, e.g. lint);
 *   2 bad input or usage (message on stderr, nothing on stdout); 3 internal error (a bug);
 *   4 the database could not be reached, refused the write, or holds a conflicting row (nothing
 *     written, or for a connection lost mid-commit: before or after, never half).
 */
export const EXIT_OK = 0;
export const EXIT_FOUND = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 3;
export const EXIT_DATABASE = 4;

/** Wrong flags or arguments; `command` names the help to point at. */
export class UsageError extends Error {
  readonly code = 'NBGEN_USAGE';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A file or directory given with -f that cannot be read. */
export class FileError extends Error {
  readonly code = 'NBGEN_FILE';
  constructor(message: string) {
    super(message);
    this.name = 'FileError';
  }
}

/** Prints what went wrong and returns the exit code for it. */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof InputError) {
    for (const issue of error.issues) io.stderr(`${formatInputIssue(issue)}\n`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof UsageError) {
    const help = error.command ? `nbgen help ${error.command}` : 'nbgen help';
    io.stderr(`nbgen: ${error.message}\n(see \`${help}\`)\n`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof CapabilityError || (error instanceof ReconcileError && error.code === 'NBGEN_RECONCILE_INPUT')) {
    io.stderr(`nbgen: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof ReconcileError || error instanceof OvsdbError) {
    io.stderr(`nbgen: ${error.message} (${error.code})\n`);
    return EXIT_DATABASE;
  }
  if (error instanceof FileError || error instanceof ScriptValueError) {
    io.stderr(`nbgen: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`nbgen: internal error (please report): ${detail}\n`);
  return EXIT_INTERNAL;
}
