import { OvsdbError, type OvsdbErrorCode } from '../errors.js';

/** ovsdb-server's per-operation error strings → stable codes (ovsdb/execution.c, transaction.c). */
export function codeForServerError(error: string): OvsdbErrorCode {
  switch (error) {
    case 'constraint violation':
      return 'OVSDB_CONSTRAINT_VIOLATION';
    case 'referential integrity violation':
      return 'OVSDB_REFERENTIAL_INTEGRITY';
    case 'timed out':
      // A `wait` whose condition did not hold (immediately, with timeout 0).
      return 'OVSDB_WAIT_FAILED';
    default:
      return 'OVSDB_OPERATION_FAILED';
  }
}

/** The OvsdbError for the result slot `index`; `index === operationCount` means the commit failed. */
export function operationError(slot: { error: unknown; details?: unknown }, index: number, label: string): OvsdbError {
  const serverError = String(slot.error);
  const serverDetails = typeof slot.details === 'string' ? slot.details : undefined;
  const message = `${label} failed: ${serverError}${serverDetails ? `: ${serverDetails}` : ''}`;
  return new OvsdbError(codeForServerError(serverError), message, {
    serverError,
    ...(serverDetails !== undefined ? { serverDetails } : {}),
    operationIndex: index,
  });
}
