import { readFileSync } from 'node:fs';
import { commands, isCommandName, loadCommand } from './commands/index.js';
import { EXIT_OK } from './exitCodes.js';
import { processIo, type CliIo } from './io.js';

// This module loads only the command table: the command that runs is imported on demand, and so
// are help (which loads every command for its summaries) and the error classes (which load core).
// `nbgen --version` therefore starts in about the time of `node -e 0` (docs/speed-log.md, Start-up).

/**
 * Runs `nbgen argv...` and resolves with the exit code. Everything the command touches comes
 * through `io`, so tests call this in-process.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h') {
      const { overview } = await import('./commands/help.js');
      io.stdout(await overview(commands));
      return EXIT_OK;
    }
    if (name === '--version') {
      io.stdout(`nbgen ${version()}\n`);
      return EXIT_OK;
    }
    if (!isCommandName(name)) {
      const { UsageError } = await import('./errors.js');
      throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    }
    const command = await loadCommand(name);
    // Help wins over every other flag, even invalid ones, like most CLIs.
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${command.usage}\n`);
      return EXIT_OK;
    }
    return await command.run(rest, io);
  } catch (error) {
    const { reportError } = await import('./errors.js');
    return reportError(error, io);
  }
}

function version(): string {
  // package.json sits one level above both src/ and dist/.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Entry point of bin/nbgen.js. */
export async function main(): Promise<void> {
  process.exitCode = await run(process.argv.slice(2), processIo());
}
