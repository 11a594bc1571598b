/**
 * Exit codes, decided here and nowhere else:
 *   0 done; 1 the command found something (commands that report findings, e.g. lint);
 *   2 bad input or usage (message on stderr, nothing on stdout); 3 internal error (a bug);
 *   4 the database could not be reached, refused the write, or holds a conflicting row (nothing
 *     written, or for a connection lost mid-commit: before or after, never half).
 *
 * Apart from the error classes (errors.ts), so that `nbgen --version` and help load neither core
 * nor the OVSDB client.
 */
export const EXIT_OK = 0;
export const EXIT_FOUND = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 3;
export const EXIT_DATABASE = 4;
