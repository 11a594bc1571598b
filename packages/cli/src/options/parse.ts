import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs in strict mode; its complaints (unknown flag, missing value) become a
 * UsageError that points at the command's help.
 */
export function parseCommandArgs<const O extends OptionsConfig>(
  command: string,
  argv: readonly string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(error.message, command);
    }
    throw error;
  }
}
