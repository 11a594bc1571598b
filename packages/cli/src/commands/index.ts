import type { Command } from './command.js';

export type { Command } from './command.js';

/**
 * Every subcommand, by the name typed after `nbgen`, as a loader of its module. Loaded on demand
 * so a command pays only for what it uses: `render`/`export` never load the OVSDB client, and
 * `nbgen --version` loads no command at all. Adding a command: one file, one line here.
 */
export const commands = {
  apply: async () => (await import('./apply.js')).applyCommand,
  audit: async () => (await import('./audit.js')).auditCommand,
  delete: async () => (await import('./delete.js')).deleteCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  explain: async () => (await import('./explain.js')).explainCommand,
  'explain-nat': async () => (await import('./explainNat.js')).explainNatCommand,
  export: async () => (await import('./export.js')).exportCommand,
  help: async (): Promise<Command> => (await import('./help.js')).helpCommandFor(commands),
  impact: async () => (await import('./impact.js')).impactCommand,
  lint: async () => (await import('./lint.js')).lintCommand,
  matrix: async () => (await import('./matrix.js')).matrixCommand,
  render: async () => (await import('./render.js')).renderCommand,
  sync: async () => (await import('./sync.js')).syncCommand,
  test: async () => (await import('./test.js')).testCommand,
} satisfies Record<string, () => Promise<Command>>;

export type CommandName = keyof typeof commands;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

/** The command of that name, loaded. */
export function loadCommand(name: CommandName): Promise<Command> {
  return commands[name]();
}
