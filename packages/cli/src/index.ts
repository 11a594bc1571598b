// @ovn-nbgen/cli: the `nbgen` command, also callable in-process.
export { run, main } from './main.js';
export type { CliIo } from './io.js';
export { commands, type Command, type CommandName } from './commands/index.js';
export { EXIT_BAD_INPUT, EXIT_FOUND, EXIT_INTERNAL, EXIT_OK } from './errors.js';
