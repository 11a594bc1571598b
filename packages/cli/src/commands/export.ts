import { renderNbctlScript } from '@ovn-nbgen/core';
import { EXIT_OK } from '../errors.js';
import { compileInput } from '../compileInput.js';
import { SCRIPT_REFUSAL_WORDING } from '../coreWording.js';
import { COMPILE_FLAGS_HELP, compileFlags, INPUT_FLAGS_HELP, inputFlags, DELETION_LIMIT_HELP, deletionLimitFlags, deletionLimitOf } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';

export const exportCommand: Command = {
  summary: 'print a bash script of ovn-nbctl commands that writes the rows (offline export)',
  usage: `nbgen export -f PATH... [--max-delete N|P%] [flags] > nb.sh

Compiles the manifests and prints a bash script that makes an OVN Northbound database hold exactly
these rows for the owner: it creates or updates them, deletes rows of the same owner
(external_ids:nbgen/owner) that are no longer wanted, and leaves every other row alone. Run it
where ovn-nbctl reaches the NB (OVN_NB_DB, or OVN_NBCTL='ovn-nbctl --db=...'); running it twice
changes nothing more. The writes are one ovn-nbctl transaction. Before writing, the script counts
the owner's rows that would go and refuses (exit 2, nothing written, the counts per table on
stderr) over the deletion limit; NBGEN_MAX_DELETE=N or P% in its environment replaces the limit.

${DELETION_LIMIT_HELP}
${INPUT_FLAGS_HELP}
${COMPILE_FLAGS_HELP}

Example:
  nbgen export -f examples/underlay-service > nb.sh && OVN_NB_DB=unix:/run/ovn/ovnnb_db.sock bash nb.sh`,
  async run(argv, io) {
    const { values } = parseCommandArgs('export', argv, { ...inputFlags, ...compileFlags, ...deletionLimitFlags });
    const deletionLimit = deletionLimitOf('export', values['max-delete']);
    const { rows, settings } = await compileInput('export', values, io);
    io.stdout(
      renderNbctlScript(rows, {
        owner: settings.compileOptions.owner,
        capabilities: settings.capabilities,
        target: `OVN ${settings.ovnVersion}`,
        deletionLimit,
        refusalWording: SCRIPT_REFUSAL_WORDING,
      }),
    );
    return EXIT_OK;
  },
};
