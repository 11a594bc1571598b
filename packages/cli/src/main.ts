import { readFileSync } from 'node:fs';
import { commands, isCommandName } from './commands/index.js';
import { overview } from './commands/help.js';
import { EXIT_OK, reportError, UsageError } from './errors.js';
import { processIo, type CliIo } from './io.js';

/**
 * Runs `nbgen argv...` and resolves with the exit code. Everything the command touches comes
 * through `io`, so tests call this in-process.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h') {
      io.stdout(overview());
      return EXIT_OK;
    }
    if (name === '--version') {
      io.stdout(`nbgen ${version()}\n`);
      return EXIT_OK;
    }
    if (!isCommandName(name)) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    const command = commands[name];
    // Help wins over every other flag, even invalid ones, like most CLIs.
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${command.usage}\n`);
      return EXIT_OK;
    }
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Entry point of bin/nbgen.js. */
export async function main(): Promise<void> {
  process.exitCode = await run(process.argv.slice(2), processIo());
}
