// @ovn-nbgen/cli: the `nbgen` command, also callable in-process.
export { run, main } from './main';
export type { CliIo } from './io';
export { commands, type Command, type CommandName } from './commands/index';
export { EXIT_BAD_INPUT, EXIT_FOUND, EXIT_INTERNAL, EXIT_OK } from './errors';
