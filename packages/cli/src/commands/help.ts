import { EXIT_OK, UsageError } from '../errors.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command, CommandLoaders } from './command.js';

/**
 * `nbgen help` over the command table it is given: the table (commands/index.ts) loads this module
 * on demand and passes itself, so neither imports the other.
 */
export function helpCommandFor(commands: CommandLoaders): Command {
  return {
    summary: 'show the commands, or the help of one (also: nbgen COMMAND --help)',
    usage: `nbgen help [COMMAND]`,
    async run(argv, io) {
      const { positionals } = parseCommandArgs('help', argv, {}, true);
      if (positionals.length === 0) {
        io.stdout(await overview(commands));
        return EXIT_OK;
      }
      const name = positionals[0]!;
      const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
      if (!load) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
      io.stdout(`${(await load()).usage}\n`);
      return EXIT_OK;
    },
  };
}

/** The command list with each summary: the one place that loads every command. */
export async function overview(commands: CommandLoaders): Promise<string> {
  const names = Object.keys(commands).sort();
  const width = Math.max(...names.map((n) => n.length));
  const loaded = await Promise.all(names.map((name) => commands[name]!()));
  const lines = names.map((name, i) => `  ${name.padEnd(width)}  ${loaded[i]!.summary}`);
  return `nbgen: compile Kubernetes network intent into OVN Northbound rows

Usage: nbgen COMMAND [flags]    (nbgen COMMAND --help for its flags)

Commands:
${lines.join('\n')}

Nothing is deleted by mistake: every command that compiles refuses (exit 2) a policy at an
apiVersion nbgen does not read and input without any object; apply and the exported script refuse
to delete more of an owner's rows than --max-delete allows (default: more than 50% and more than 10
rows, or all of them with none written). nbgen delete removes an owner's rows on purpose.

Global flags:
  --version   print the version
  --help      this help

Exit codes: 0 done, 1 found something (commands that report findings), 2 bad input or usage,
3 internal error, 4 the database could not be reached, refused the write or holds a conflicting
row (diff, apply; never half written).
`;
}
