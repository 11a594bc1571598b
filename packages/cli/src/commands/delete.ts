import { capabilitiesForOvnVersion, DEFAULT_OVN_VERSION, emptyNbRows, renderNbctlScript } from '@ovn-nbgen/core';
import { parseDeletionLimit } from '@ovn-nbgen/core/script';
import { formatCounts, formatPlan } from '@ovn-nbgen/ovsdb';
import { SCRIPT_REFUSAL_WORDING } from '../coreWording.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { nbConnection, withReconciler } from '../liveNb.js';
import { DB_FLAGS_HELP, dbFlags } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';

/** No limit: deleting every row of the owner is what this command is for. */
const NO_DELETION_LIMIT = parseDeletionLimit('100%')!;

export const deleteCommand: Command = {
  summary: "remove every row of an owner from a live NB on purpose (or print a script that does)",
  usage: `nbgen delete --owner NAME [--db REMOTE] [--dry-run] [flags]
nbgen delete --owner NAME --script > delete.sh

Deletes every row whose external_ids:nbgen/owner is NAME (Port_Group, Address_Set, ACL, NAT,
Load_Balancer) in one transaction, and prints each row removed and the count per table. Rows of
other owners and hand-made rows are never touched. This is the one way nbgen removes all of an
owner's rows: apply and the exported script refuse it (their --max-delete limit), and refuse input
without any object. --owner has no default here: name the owner you mean.

      --owner NAME       the owner whose rows go (required)
      --dry-run          print what would be removed, write nothing
      --script           print an ovn-nbctl script that removes them instead (offline: no --db);
                         run it as the script of nbgen export (OVN_NB_DB or OVN_NBCTL)
${DB_FLAGS_HELP}

Exit status: 0 done (also when the owner has no row), 2 bad usage, 4 database unreachable or refused.

Example:
  nbgen delete --owner nbgen --db unix:/run/ovn/ovnnb_db.sock --dry-run`,
  async run(argv, io) {
    const { values } = parseCommandArgs('delete', argv, {
      ...dbFlags,
      owner: { type: 'string' },
      'dry-run': { type: 'boolean' },
      script: { type: 'boolean' },
    });
    const owner = values.owner;
    if (owner === undefined || owner === '') throw new UsageError('--owner NAME is required (the owner whose rows are deleted)', 'delete');
    if (values.script) {
      const live = ['db', 'private-key', 'certificate', 'ca-cert', 'dry-run'].filter((f) => values[f as keyof typeof values] !== undefined);
      if (live.length > 0) throw new UsageError(`--script writes a script offline: --${live[0]} does not apply`, 'delete');
      io.stdout(
        renderNbctlScript(emptyNbRows, {
          owner,
          capabilities: capabilitiesForOvnVersion(DEFAULT_OVN_VERSION),
          deletionLimit: NO_DELETION_LIMIT,
          refusalWording: SCRIPT_REFUSAL_WORDING,
        }),
      );
      return EXIT_OK;
    }
    const connection = nbConnection('delete', values);
    const dryRun = values['dry-run'] === true;
    const result = await withReconciler(connection, owner, (reconciler) => reconciler.reconcile(emptyNbRows, { dryRun, oneShot: true }));
    const lines = [formatPlan(result.plan).trimEnd()];
    if (dryRun) lines.push('(dry run: nothing written)');
    lines.push(formatCounts(result.plan).trimEnd());
    if (result.committed) lines.push(`committed: ${result.operations} operations in 1 transaction`);
    io.stdout(`${lines.filter((l) => l !== '').join('\n')}\n`);
    return EXIT_OK;
  },
};
