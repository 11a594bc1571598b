import { formatPlan, isEmptyPlan } from '@ovn-nbgen/ovsdb';
import { EXIT_FOUND, EXIT_OK } from '../errors.js';
import { readLiveInput, withLiveNb } from '../liveNb.js';
import { COMPILE_FLAGS_HELP, compileFlags, DB_FLAGS_HELP, dbFlags, INPUT_FLAGS_HELP, inputFlags } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';

export const diffCommand: Command = {
  summary: 'show what `nbgen apply` would change in a live NB (exit 1 when something differs)',
  usage: `nbgen diff -f PATH... [--db REMOTE] [flags]

Compiles the manifests for the target the live Northbound database serves (ACL tiers, NAT
gateway_port are read from its schema), compares them with the owner's rows there and prints what
\`nbgen apply\` would do, like kubectl diff:
  + TABLE ROW        a row to create, with its columns
  ~ TABLE ROW        a row to change in place: column: old → new (sets: +added -removed)
  - TABLE ROW        a row of this owner nobody wants any more
  ! message          e.g. a pod's port missing from the NB (left out of its group)
Rows of other owners and hand-made rows are never listed: they are not touched.
Exit status: 0 nothing differs, 1 something differs, 2 bad input, 4 database unreachable or conflict.

${INPUT_FLAGS_HELP}
${COMPILE_FLAGS_HELP.split('\n').filter((l) => !l.includes('--ovn-version') && !l.includes('gateway_port (default')).join('\n')}
${DB_FLAGS_HELP}

Example (exit 1 while the NB differs):
  nbgen diff -f examples/underlay-service --db unix:/run/ovn/ovnnb_db.sock`,
  async run(argv, io) {
    const { values } = parseCommandArgs('diff', argv, { ...inputFlags, ...compileFlags, ...dbFlags });
    const input = await readLiveInput('diff', values, io);
    const plan = await withLiveNb(input, io, async (reconciler, rows) => reconciler.plan(rows));
    io.stdout(formatPlan(plan));
    return isEmptyPlan(plan) ? EXIT_OK : EXIT_FOUND;
  },
};
