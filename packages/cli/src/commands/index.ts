import { applyCommand } from './apply';
import { auditCommand } from './audit.js';
import type { Command } from './command';
import { diffCommand } from './diff';
import { explainCommand } from './explain';
import { explainNatCommand } from './explainNat';
import { exportCommand } from './export';
import { helpCommand } from './help';
import { lintCommand } from './lint';
import { matrixCommand } from './matrix';
import { renderCommand } from './render';

export type { Command } from './command';

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
