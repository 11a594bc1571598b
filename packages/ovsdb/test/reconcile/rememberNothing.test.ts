// A reconciler started with `remember: false` (what one-shot `nbgen diff`/`apply` use) keeps no
// PlanMemo between plans. It must plan exactly what a remembering reconciler plans, whatever
// happened to the NB in between: random desired rows and random edits by another writer
// (our rows' columns, ports joining and leaving groups, a port renamed, a row deleted), on the
// in-memory NB, both reconcilers following it through their monitors.
import { PortGroupRow, type NbRows, type ObjectRef } from '@ovn-nbgen/core';
import { ownedExternalIds } from '@ovn-nbgen/core/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPlan, Reconciler, type OvsdbClient, type ReconcilePlan } from '../../src/index.js';
import { plainAcl } from './aclFixture.js';
import { nbWithPorts } from './memoryNb.js';

const owner = 'nbgen';
const PORTS = ['p0', 'p1', 'p2', 'p3', 'p4'];

/** Policies 0..n-1 selecting some ports, each with ACLs of some priorities. */
interface Wanted {
  readonly policies: readonly { readonly ports: readonly number[]; readonly priorities: readonly number[]; readonly match: number }[];
}

function rowsOf(wanted: Wanted): NbRows {
  const portGroups = [];
  const acls = [];
  for (const [i, p] of wanted.policies.entries()) {
    const ref: ObjectRef = { kind: 'NetworkPolicy', namespace: 'ns', name: `pol${i}` };
    const pg = `np.ns.pol${i}`;
    portGroups.push(PortGroupRow({ name: pg, ports: p.ports.map((n) => PORTS[n]!), externalIds: ownedExternalIds(owner, ref) }));
    for (const priority of p.priorities) {
      acls.push(
        plainAcl({
          portGroup: pg,
          direction: 'to-lport',
          priority,
          match: `outport == @${pg} && tcp.dst == ${p.match + priority}`,
          action: 'allow-related',
          externalIds: ownedExternalIds(owner, ref, `rule/${priority}`),
        }),
      );
    }
  }
  return { portGroups, addressSets: [], acls, nats: [], loadBalancers: [] };
}

const wantedArb: fc.Arbitrary<Wanted> = fc.record({
  policies: fc.array(
    fc.record({
      ports: fc.uniqueArray(fc.integer({ min: 0, max: PORTS.length - 1 }), { maxLength: 4 }),
      priorities: fc.uniqueArray(fc.integer({ min: 1000, max: 1003 }), { minLength: 1, maxLength: 3 }),
      match: fc.integer({ min: 0, max: 2 }),
    }),
    { maxLength: 3 },
  ),
});

/** What another writer does to the NB between plans. */
type Edit =
  | { readonly kind: 'acl-match'; readonly pick: number; readonly match: string }
  | { readonly kind: 'acl-delete'; readonly pick: number }
  | { readonly kind: 'pg-port'; readonly pick: number; readonly port: number }
  | { readonly kind: 'port-rename'; readonly port: number; readonly name: string };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('acl-match' as const), pick: fc.nat(), match: fc.constantFrom('ip4', 'tcp.dst == 1') }),
  fc.record({ kind: fc.constant('acl-delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('pg-port' as const), pick: fc.nat(), port: fc.integer({ min: 0, max: PORTS.length - 1 }) }),
  fc.record({ kind: fc.constant('port-rename' as const), port: fc.integer({ min: 0, max: PORTS.length - 1 }), name: fc.constantFrom('p0', 'p1', 'px') }),
);

type Step = { readonly kind: 'plan'; readonly wanted: Wanted; readonly commit: boolean } | Edit;

/** The logical switch ports, in UUID order. */
async function ports(client: OvsdbClient) {
  const rows = (await client.dump({ Logical_Switch_Port: ['name'] })).Logical_Switch_Port ?? [];
  return rows.map((r) => ({ uuid: String(r._uuid) })).sort((a, b) => a.uuid.localeCompare(b.uuid));
}

async function edit(client: OvsdbClient, e: Edit): Promise<void> {
  const uuids = async (table: string): Promise<string[]> => ((await client.dump({ [table]: ['name'] }))[table] ?? []).map((r) => String(r._uuid)).sort();
  const txn = client.transaction();
  if (e.kind === 'acl-match' || e.kind === 'acl-delete') {
    const acls = await uuids('ACL');
    if (acls.length === 0) return;
    const uuid = acls[e.pick % acls.length]!;
    if (e.kind === 'acl-match') txn.update('ACL', [['_uuid', '==', uuid]], { match: e.match });
    else {
      const groups = await uuids('Port_Group');
      for (const g of groups) txn.mutate('Port_Group', [['_uuid', '==', g]], [['acls', 'delete', [uuid]]]);
    }
  } else if (e.kind === 'pg-port') {
    const groups = await uuids('Port_Group');
    if (groups.length === 0) return;
    const port = (await ports(client))[e.port]!;
    const group = groups[e.pick % groups.length]!;
    const holds = ((await client.dump({ Port_Group: ['ports'] })).Port_Group!.find((g) => g._uuid === group)!.ports as string[]).includes(port.uuid);
    txn.mutate('Port_Group', [['_uuid', '==', group]], [['ports', holds ? 'delete' : 'insert', [port.uuid]]]);
  } else {
    const port = (await ports(client))[e.port]!;
    txn.update('Logical_Switch_Port', [['_uuid', '==', port.uuid]], { name: e.name });
  }
  if (txn.length > 0) await client.transact(txn).catch(() => undefined); // a rename onto a taken name may fail: fine
}

/** A plan as a test compares it: its text, guards, warnings and counts. */
function comparable(plan: ReconcilePlan): unknown {
  return { text: formatPlan(plan), guards: plan.guards, warnings: plan.warnings, owned: plan.owned, wanted: plan.wanted };
}

describe('Reconciler with remember: false', () => {
  it('plans what a remembering reconciler plans, through random desired rows and edits by another writer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.record({ kind: fc.constant('plan' as const), wanted: wantedArb, commit: fc.boolean() }), editArb), { minLength: 1, maxLength: 12 }),
        async (steps: Step[]) => {
          const { server, client } = await nbWithPorts(PORTS);
          try {
            const remembering = await Reconciler.start(client, { owner });
            const forgetful = await Reconciler.start(client, { owner, remember: false });
            // The same row objects each time a wanted set repeats, as a controller keeps them: the memo's case.
            const compiled = new Map<string, NbRows>();
            for (const step of steps) {
              if (step.kind !== 'plan') {
                await edit(client, step);
                continue;
              }
              const key = JSON.stringify(step.wanted);
              const rows = compiled.get(key) ?? rowsOf(step.wanted);
              compiled.set(key, rows);
              // Twice: the second plan of the remembering one reads its memo.
              for (let i = 0; i < 2; i++) expect(comparable(forgetful.plan(rows))).toEqual(comparable(remembering.plan(rows)));
              if (step.commit) await remembering.reconcile(rows);
            }
            await remembering.close();
            await forgetful.close();
          } finally {
            await client.close();
            await server.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('compares every desired row again on each plan: it keeps nothing between plans', async () => {
    const { server, client } = await nbWithPorts(PORTS);
    try {
      // Reads of desired rows through their frozen arrays (a Proxy of a frozen array is frozen too).
      let reads = 0;
      const counted = <T extends object>(array: readonly T[]): readonly T[] =>
        new Proxy(Object.freeze([...array]), {
          get: (target, key, receiver) => {
            if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
            return Reflect.get(target, key, receiver) as unknown;
          },
        });
      const plain = rowsOf({ policies: [{ ports: [0, 1], priorities: [1000, 1001], match: 0 }, { ports: [2], priorities: [1002], match: 1 }] });
      const rows: NbRows = Object.freeze({
        portGroups: counted(plain.portGroups),
        addressSets: counted(plain.addressSets),
        acls: counted(plain.acls),
        nats: counted(plain.nats),
        loadBalancers: counted(plain.loadBalancers),
      });
      const remembering = await Reconciler.start(client, { owner });
      await remembering.reconcile(rows);
      const forgetful = await Reconciler.start(client, { owner, remember: false });
      const readsOfTwoPlans = (reconciler: Reconciler): number[] =>
        [0, 1].map(() => {
          reads = 0;
          expect(formatPlan(reconciler.plan(rows))).toBe('');
          return reads;
        });
      const [first, second] = readsOfTwoPlans(remembering);
      expect(first).toBeGreaterThan(0);
      // The remembering reconciler found every table settled and read no row the second time.
      expect(second).toBe(0);
      expect(readsOfTwoPlans(forgetful)).toEqual([first, first]);
      await remembering.close();
      await forgetful.close();
    } finally {
      await client.close();
      await server.close();
    }
  });
});
