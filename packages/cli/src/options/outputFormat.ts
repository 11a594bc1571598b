import { UsageError } from '../errors.js';

/** `-o text|json` for the commands that print either (text by default). */
export function outputFormat(command: string, value: string | undefined): 'text' | 'json' {
  const format = value ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--output: expected text or json, found ${JSON.stringify(format)}`, command);
  return format;
}
