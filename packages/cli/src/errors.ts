import { CapabilityError, InputError, ScriptValueError, formatInputIssue } from '@ovn-nbgen/core';
import { DeletionLimitError, formatDeletionRefusal } from '@ovn-nbgen/core/script';
import { OvsdbError, ReconcileError } from '@ovn-nbgen/ovsdb/errors';
import { EXIT_BAD_INPUT, EXIT_DATABASE, EXIT_INTERNAL } from './exitCodes.js';
import { inCliTerms } from './coreWording.js';
import type { CliIo } from './io.js';
export { EXIT_BAD_INPUT, EXIT_DATABASE, EXIT_FOUND, EXIT_INTERNAL, EXIT_OK } from './exitCodes.js';

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

/**
 * The manifests given with -f hold no object at all (an empty directory or file, only comments).
 * Compiling nothing would make apply delete every row of the owner: refused, as `kubectl apply`
 * refuses it. Removing an owner's rows on purpose is `nbgen delete`.
 */
export class NoObjectsError extends Error {
  readonly code = 'NBGEN_NO_OBJECTS';
  constructor(paths: readonly string[]) {
    super(`no objects passed: ${paths.join(', ')} hold${paths.length === 1 ? 's' : ''} no Kubernetes object (to remove an owner's rows on purpose: nbgen delete --owner NAME)`);
    this.name = 'NoObjectsError';
  }
}

/** Prints what went wrong and returns the exit code for it. */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof InputError) {
    for (const issue of error.issues) io.stderr(`${inCliTerms(formatInputIssue(issue))}\n`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof DeletionLimitError) {
    const retry = `run again with --max-delete ${error.refusal.totalDeleted} (or --max-delete 100%)`;
    io.stderr(`nbgen: ${formatDeletionRefusal(error.refusal, retry, `use nbgen delete --owner ${error.refusal.owner}`)}\n`);
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
  if (error instanceof FileError || error instanceof ScriptValueError || error instanceof NoObjectsError) {
    io.stderr(`nbgen: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`nbgen: internal error (please report): ${detail}\n`);
  return EXIT_INTERNAL;
}
