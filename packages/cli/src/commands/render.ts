import { stringify } from 'yaml';
import { EXIT_OK, UsageError } from '../errors.js';
import { compileInput } from '../compileInput.js';
import { COMPILE_FLAGS_HELP, compileFlags, INPUT_FLAGS_HELP, inputFlags } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';

export const renderCommand: Command = {
  summary: 'print the Northbound rows the manifests compile to (JSON or YAML)',
  usage: `nbgen render -f PATH... [-o json|yaml] [flags]

Compiles the manifests and prints the rows: { portGroups, addressSets, acls, nats, loadBalancers },
each list in canonical order. Nothing is written anywhere.

  -o, --output FORMAT    json (default) or yaml
${INPUT_FLAGS_HELP}
${COMPILE_FLAGS_HELP}

Example:
  nbgen render -f examples/underlay-service -o yaml`,
  async run(argv, io) {
    const { values } = parseCommandArgs('render', argv, {
      ...inputFlags,
      ...compileFlags,
      output: { type: 'string', short: 'o' },
    });
    const format = values.output ?? 'json';
    if (format !== 'json' && format !== 'yaml') {
      throw new UsageError(`--output: expected json or yaml, found ${JSON.stringify(format)}`, 'render');
    }
    const { rows } = await compileInput('render', values, io);
    io.stdout(format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : stringify(rows, { lineWidth: 0 }));
    return EXIT_OK;
  },
};
