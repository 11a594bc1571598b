import { EXIT_OK, UsageError } from '../errors.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';
import { commands, isCommandName } from './index.js';

export const helpCommand: Command = {
  summary: 'show the commands, or the help of one (also: nbgen COMMAND --help)',
  usage: `nbgen help [COMMAND]`,
  async run(argv, io) {
    const { positionals } = parseCommandArgs('help', argv, {}, true);
    if (positionals.length === 0) {
      io.stdout(overview());
      return EXIT_OK;
    }
    const name = positionals[0]!;
    if (!isCommandName(name)) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    io.stdout(`${commands[name].usage}\n`);
    return EXIT_OK;
  },
};

export function overview(): string {
  const names = Object.keys(commands).sort();
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((name) => `  ${name.padEnd(width)}  ${commands[name as keyof typeof commands].summary}`);
  return `nbgen: compile Kubernetes network intent into OVN Northbound rows

Usage: nbgen COMMAND [flags]    (nbgen COMMAND --help for its flags)

Commands:
${lines.join('\n')}

Global flags:
  --version   print the version
  --help      this help

Exit codes: 0 done, 1 found something (commands that report findings), 2 bad input or usage,
3 internal error, 4 the database could not be reached, refused the write or holds a conflicting
row (diff, apply; never half written).
`;
}
