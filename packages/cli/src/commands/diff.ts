import { checkDeletionLimit, formatDeletedTables, type DeletionLimit } from '@ovn-nbgen/core/script';
import { deletionCounts, formatPlan, isEmptyPlan, type ReconcilePlan } from '@ovn-nbgen/ovsdb';
import { EXIT_FOUND, EXIT_OK } from '../errors.js';
import { withLiveNb } from '../liveNb.js';
import { deletionLimitOf, LIVE_WRITE_FLAGS_HELP, liveWriteFlags } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';

export const diffCommand: Command = {
  summary: 'show what `nbgen apply` would change in a live NB (exit 1 when something differs)',
  usage: `nbgen diff -f PATH... [--db REMOTE] [--max-delete N|P%] [flags]

Compiles the manifests for the target the live Northbound database serves (ACL tiers, NAT
gateway_port are read from its schema), compares them with the owner's rows there and prints what
\`nbgen apply\` would do, like kubectl diff:
  + TABLE ROW        a row to create, with its columns
  ~ TABLE ROW        a row to change in place: column: old → new (sets: +added -removed)
  - TABLE ROW        a row of this owner nobody wants any more
  ! message          e.g. a pod's port missing from the NB (left out of its group)
Rows of other owners and hand-made rows are never listed: they are not touched. When rows would
be deleted, a last line counts them per table against the owner's rows ("deleted: ..."), and
says when apply would refuse them (--max-delete).
Exit status: 0 nothing differs, 1 something differs, 2 bad input, 4 database unreachable or conflict.

${LIVE_WRITE_FLAGS_HELP}

Example (exit 1 while the NB differs):
  nbgen diff -f examples/underlay-service --db unix:/run/ovn/ovnnb_db.sock`,
  async run(argv, io) {
    const { values } = parseCommandArgs('diff', argv, liveWriteFlags);
    const deletionLimit = deletionLimitOf('diff', values['max-delete']);
    const plan = await withLiveNb('diff', values, io, async (reconciler, rows) => reconciler.plan(rows));
    io.stdout(formatPlan(plan) + deletionSummary(plan, deletionLimit));
    return isEmptyPlan(plan) ? EXIT_OK : EXIT_FOUND;
  },
};

/**
 * `deleted: 5 of the 6 rows of owner "nbgen" (Port_Group 1 of 1, ACL 4 of 5)`, and whether apply
 * would refuse it under the limit; empty when nothing would be deleted.
 */
function deletionSummary(plan: ReconcilePlan, limit: DeletionLimit): string {
  const counts = deletionCounts(plan);
  if (plan.deletes.length === 0) return '';
  const owned = Object.values(counts.owned).reduce((a, b) => a + b, 0);
  const lines = [`deleted: ${plan.deletes.length} of the ${owned} rows of owner ${JSON.stringify(plan.owner)} (${formatDeletedTables(counts)})`];
  if (checkDeletionLimit(plan.owner, counts, limit)) {
    lines.push(`apply would refuse: over the deletion limit, ${limit.text} (--max-delete N|P% to change it)`);
  }
  return `${lines.join('\n')}\n`;
}
