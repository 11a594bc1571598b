// The insert path of a reconcile takes shortcuts a one-shot `nbgen apply` at 35,000 rows needs:
// the plan's columns are the insert's row (no copy), empty values are left out by the transaction
// (`leaveOutEmpty`) instead of a filtered copy per row, and desired rows are keyed by identity
// only when the NB holds candidate rows. Each is held to the general path here, on random desired
// rows and random edits by another writer on the in-memory NB: the operations equal those a plain
// transaction gets, and after the commit a new reconciler plans nothing.
import { PortGroupRow, type AclRow, type NbRows, type ObjectRef } from '@ovn-nbgen/core';
import { ownedExternalIds } from '@ovn-nbgen/core/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPlan, isEmptyPlan, Reconciler, type OvsdbClient } from '../../src/index.js';
import { buildTransaction, leaveOutEmpty } from '../../src/reconcile/index.js';
import { plainAcl } from './aclFixture.js';
import { nbWithPorts } from './memoryNb.js';

const owner = 'nbgen';
const PORTS = ['p0', 'p1', 'p2', 'p3'];

interface Policy {
  readonly ports: readonly number[];
  readonly acls: readonly { readonly priority: number; readonly log: boolean; readonly severity: AclRow['severity']; readonly options: Readonly<Record<string, string>> }[];
}

function rowsOf(policies: readonly Policy[]): NbRows {
  const portGroups = [];
  const acls = [];
  for (const [i, p] of policies.entries()) {
    const ref: ObjectRef = { kind: 'NetworkPolicy', namespace: 'ns', name: `pol${i}` };
    const pg = `np.ns.pol${i}`;
    // 'gone' is no port of the NB: left out of the group with a warning.
    portGroups.push(PortGroupRow({ name: pg, ports: p.ports.map((n) => PORTS[n] ?? 'gone'), externalIds: ownedExternalIds(owner, ref) }));
    for (const a of p.acls) {
      acls.push({
        ...plainAcl({ portGroup: pg, direction: 'to-lport', priority: a.priority, match: `outport == @${pg}`, action: 'allow-related', externalIds: ownedExternalIds(owner, ref, `rule/${a.priority}`) }),
        log: a.log,
        severity: a.severity,
        options: a.options,
      } as AclRow);
    }
  }
  return { portGroups, addressSets: [], acls, nats: [], loadBalancers: [] };
}

const policiesArb: fc.Arbitrary<Policy[]> = fc.array(
  fc.record({
    ports: fc.uniqueArray(fc.integer({ min: 0, max: PORTS.length }), { maxLength: 3 }),
    acls: fc.uniqueArray(
      fc.record({
        priority: fc.integer({ min: 1000, max: 1003 }),
        log: fc.boolean(),
        severity: fc.constantFrom(null, 'info' as const),
        options: fc.constantFrom<Readonly<Record<string, string>>>({}, { apply_after_lb: 'true' }),
      }),
      { selector: (a) => a.priority, maxLength: 3 },
    ),
  }),
  { maxLength: 3 },
);

/** What another writer does between applies: deletes one of our rows, or changes an ACL's match. */
type Edit = { readonly kind: 'delete-group' | 'acl-match'; readonly pick: number };
const editArb: fc.Arbitrary<Edit> = fc.record({ kind: fc.constantFrom('delete-group' as const, 'acl-match' as const), pick: fc.nat() });

async function edit(client: OvsdbClient, e: Edit): Promise<void> {
  const table = e.kind === 'delete-group' ? 'Port_Group' : 'ACL';
  const uuids = ((await client.dump({ [table]: ['name'] }))[table] ?? []).map((r) => String(r._uuid)).sort();
  if (uuids.length === 0) return;
  const uuid = uuids[e.pick % uuids.length]!;
  const txn = client.transaction();
  if (e.kind === 'delete-group') txn.delete('Port_Group', [['_uuid', '==', uuid]]);
  else txn.update('ACL', [['_uuid', '==', uuid]], { match: 'ip4' });
  await client.transact(txn);
}

describe('the insert path of a reconcile', () => {
  it('builds the operations of a plain transaction and leaves an NB a new reconciler finds equal, through edits by another writer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(policiesArb, fc.option(editArb, { nil: undefined })), { minLength: 1, maxLength: 4 }), async (steps) => {
        const { server, client } = await nbWithPorts(PORTS);
        try {
          for (const [policies, anEdit] of steps) {
            const rows = rowsOf(policies);
            const reconciler = await Reconciler.start(client, { owner, remember: false });
            const plan = reconciler.plan(rows);
            const fast = client.transaction({ validate: false, leaveOutOnInsert: leaveOutEmpty });
            const general = client.transaction();
            buildTransaction(plan, fast);
            buildTransaction(plan, general);
            expect(fast.operations).toEqual(general.operations);
            await reconciler.reconcile(rows);
            await reconciler.close();
            const fresh = await Reconciler.start(client, { owner, remember: false });
            const again = fresh.plan(rows);
            expect(isEmptyPlan(again), formatPlan(again)).toBe(true);
            await fresh.close();
            if (anEdit) await edit(client, anEdit);
          }
        } finally {
          await client.close();
          await server.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
