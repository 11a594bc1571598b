import { applyCommand } from './apply.js';
import { auditCommand } from './audit.js';
import type { Command } from './command.js';
import { diffCommand } from './diff.js';
import { explainCommand } from './explain.js';
import { explainNatCommand } from './explainNat.js';
import { exportCommand } from './export.js';
import { helpCommand } from './help.js';
import { lintCommand } from './lint.js';
import { matrixCommand } from './matrix.js';
import { renderCommand } from './render.js';

export type { Command } from './command.js';

/** Every subcommand, by the name typed after `nbgen`. Adding a command: one file, one line here. */
export const commands = {
  apply: applyCommand,
  audit: auditCommand,
  diff: diffCommand,
  explain: explainCommand,
  'explain-nat': explainNatCommand,
  export: exportCommand,
  help: helpCommand,
  lint: lintCommand,
  matrix: matrixCommand,
  render: renderCommand,
} satisfies Record<string, Command>;

export type CommandName = keyof typeof commands;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}
