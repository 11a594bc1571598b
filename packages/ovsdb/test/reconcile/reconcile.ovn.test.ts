/**
 * The Reconciler against a real standalone ovsdb-server (installed OVN NB schema): what it writes
 * is read back with a fresh select, a second reconcile sends nothing, rows of other owners and of
 * ovn-nbctl survive, a concurrent writer of the same owner makes the commit fail on its `wait`
 * guard and the reconciler converges by re-planning, and two owners reconciling in parallel for
 * 200 rounds end with each of their rows present exactly once.
 */
import {
  AclRow,
  capabilitiesForOvnVersion,
  emptyNbRows,
  mergeNbRows,
  PortGroupRow,
  type NbRows,
  type ObjectRef,
} from '@ovn-nbgen/core';
import { ownedExternalIds } from '@ovn-nbgen/core/model';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OvsdbClient, ReconcileError, Reconciler, type ReconcilePhase } from '../../src/index.js';
import { standaloneNbPerFile } from '../../../../test/harness/ovsdbServerPerFile.js';
import { sampleRows } from '../../../core/test/script/fixtures.js';
import { plainAcl } from './aclFixture.js';

const { nb, nbctl } = standaloneNbPerFile();
const open: { close(): Promise<void> }[] = [];

async function connect(): Promise<OvsdbClient> {
  const client = await OvsdbClient.connect({ remote: nb().remotes.unix, session: { probeIntervalMs: 0, requestTimeoutMs: 60_000 } });
  open.push(client);
  return client;
}

async function reconciler(owner: string): Promise<Reconciler> {
  const r = await Reconciler.start(await connect(), { owner });
  open.unshift(r);
  return r;
}


/** Every row of the tables we write, as a fresh select (UUID-exact). */
async function dump(client: OvsdbClient) {
  return client.dump({ Port_Group: true, Address_Set: true, ACL: true, NAT: true, Load_Balancer: true, Logical_Router: ['name', 'nat', 'load_balancer'] });
}

const capabilities = capabilitiesForOvnVersion('23.03');

function policy(owner: string, name: string, ports: readonly string[], rule = 'tcp.dst == 80'): NbRows {
  const ref: ObjectRef = { kind: 'NetworkPolicy', namespace: 'ns', name };
  const pg = `np.ns.${name}.${owner}`;
  const acl = (priority: number, match: string, action: AclRow['action'], id: string) =>
    plainAcl({ portGroup: pg, direction: 'to-lport', priority, match, action, externalIds: ownedExternalIds(owner, ref, id) });
  return {
    portGroups: [PortGroupRow({ name: pg, ports, externalIds: ownedExternalIds(owner, ref) })],
    addressSets: [],
    acls: [acl(2001, `outport == @${pg} && ${rule}`, 'allow-related', 'ingress/0'), acl(2000, `outport == @${pg} && ip`, 'drop', 'ingress/default-drop')],
    nats: [],
    loadBalancers: [],
  };
}

beforeEach(async () => {
  // The cluster before policies: a switch with three ports, the cluster router.
  await nbctl('--if-exists', 'ls-del', 'sw');
  await nbctl('--if-exists', 'lr-del', 'ovn-cluster');
  for (const table of ['Port_Group', 'Address_Set', 'Load_Balancer']) {
    const uuids = (await nbctl('--bare', '--columns=_uuid', 'list', table)).split(/\s+/).filter(Boolean);
    for (const u of uuids) await nbctl('destroy', table, u);
  }
  await nbctl('ls-add', 'sw', '--', 'lsp-add', 'sw', 'client.shop', '--', 'lsp-add', 'sw', 'frontend.shop', '--', 'lsp-add', 'sw', 'db.shop');
  await nbctl('lr-add', 'ovn-cluster');
});

afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

describe('Reconciler on a real ovsdb-server', () => {
  it('writes the rows, then a second reconcile plans and sends nothing', async () => {
    const r = await reconciler('nbgen');
    expect(r.capabilities).toEqual(capabilities);
    const first = await r.reconcile(sampleRows('nbgen'));
    expect(first.committed).toBe(true);
    // The size of the request as sent (told by the session, not serialized again).
    expect(first.bytes).toBeGreaterThan(1000);
    expect(first.counts).toEqual({
      Address_Set: { inserted: 1, updated: 0, deleted: 0 },
      Port_Group: { inserted: 1, updated: 0, deleted: 0 },
      ACL: { inserted: 2, updated: 0, deleted: 0 },
      NAT: { inserted: 1, updated: 0, deleted: 0 },
      Load_Balancer: { inserted: 1, updated: 0, deleted: 0 },
    });
    const second = await r.reconcile(sampleRows('nbgen'));
    expect(second).toMatchObject({ committed: false, operations: 0, bytes: 0 });
    // A fresh reconciler (cold cache, new session) agrees: nothing to do.
    const fresh = await reconciler('nbgen');
    expect(fresh.plan(sampleRows('nbgen'))).toMatchObject({ inserts: [], updates: [], deletes: [] });
    // What ovn-nbctl reads back: the router holds the NAT and the LB, the group its port and ACLs.
    expect(await nbctl('--bare', '--columns=name,ports', 'list', 'Port_Group')).toContain('np.shop.client_egress');
    expect((await nbctl('lr-nat-list', 'ovn-cluster')).trim().split('\n')).toHaveLength(2);
    const lb = (await nbctl('--bare', '--columns=_uuid', 'find', 'Load_Balancer', 'name=dnat.dnat_web.tcp')).trim();
    expect((await nbctl('--bare', '--columns=load_balancer', 'list', 'Logical_Router', 'ovn-cluster')).trim()).toBe(lb);
    expect((await nbctl('acl-list', 'np.shop.client_egress')).trim().split('\n')).toHaveLength(2);
  });

  it('changes only what differs: one column of one ACL, ports by delta, a stale ACL removed', async () => {
    const r = await reconciler('nbgen');
    await r.reconcile(policy('nbgen', 'web', ['client.shop', 'frontend.shop']));
    const before = await dump(r.client);
    const changed = policy('nbgen', 'web', ['frontend.shop', 'db.shop'], 'tcp.dst == 8080');
    const result = await r.reconcile({ ...changed, acls: changed.acls.slice(0, 1) });
    expect(result.counts.ACL).toEqual({ inserted: 0, updated: 1, deleted: 1 });
    expect(result.counts.Port_Group).toEqual({ inserted: 0, updated: 1, deleted: 0 });
    const after = await dump(r.client);
    // The kept ACL keeps its UUID (updated in place); the dropped one is gone (garbage-collected).
    const kept = before.ACL!.find((a) => String(a.match).includes('tcp.dst == 80'))!;
    expect(after.ACL).toEqual([{ ...kept, match: 'outport == @np.ns.web.nbgen && tcp.dst == 8080', _version: after.ACL![0]!._version }]);
    expect(await r.reconcile({ ...changed, acls: changed.acls.slice(0, 1) })).toMatchObject({ committed: false });
  });

  it('leaves rows of another owner and hand-made rows alone', async () => {
    await nbctl('pg-add', 'handmade', 'client.shop');
    await nbctl('--type=port-group', 'acl-add', 'handmade', 'to-lport', '1000', 'outport == @handmade && tcp.dst == 22', 'drop');
    await nbctl('lr-nat-add', 'ovn-cluster', 'snat', '172.19.0.1', '10.16.0.0/16');
    await nbctl('lb-add', 'dnat.dnat_web.tcp', '172.19.0.99:443', '10.16.0.10:8443', 'tcp');
    const other = await reconciler('other');
    await other.reconcile(policy('other', 'web', ['db.shop']));
    const ours = await reconciler('nbgen');
    const client = ours.client;
    const untouched = async () => {
      const d = await dump(client);
      const notOurs = (rows: readonly Record<string, unknown>[]) =>
        rows.filter((row) => (row.external_ids as Record<string, string>)['nbgen/owner'] !== 'nbgen');
      return { pg: notOurs(d.Port_Group!), acl: notOurs(d.ACL!), nat: notOurs(d.NAT!), lb: notOurs(d.Load_Balancer!), as: notOurs(d.Address_Set!) };
    };
    const before = await untouched();
    await ours.reconcile(sampleRows('nbgen'));
    await ours.reconcile(policy('nbgen', 'web', ['client.shop']));
    await ours.reconcile(emptyNbRows);
    const after = await untouched();
    expect(after).toEqual(before);
    expect(after.acl).toHaveLength(3);
    expect(after.nat).toHaveLength(1);
    expect(after.lb).toHaveLength(1);
  });

  it('a concurrent writer of the same owner fails the commit on its wait guard; the reconciler re-plans and converges', async () => {
    const a = await reconciler('nbgen');
    const b = await reconciler('nbgen');
    await a.reconcile(policy('nbgen', 'web', ['client.shop']));
    // Let b's cache see the rows, then change the same ACL through a: b's view is stale for one moment.
    await b.client.echo();
    const events: ReconcilePhase['phase'][] = [];
    const target = policy('nbgen', 'web', ['client.shop'], 'tcp.dst == 9090');
    const [ra, rb] = await Promise.all([
      a.reconcile(policy('nbgen', 'web', ['client.shop'], 'tcp.dst == 8080')),
      b.reconcile(target, { onProgress: (e) => events.push(e.phase) }),
    ]);
    expect(ra.committed).toBe(true);
    // b either committed on top of a (its wait saw a's write and it re-planned), or went first.
    expect(rb.committed || rb.attempts > 1).toBe(true);
    const rows = await dump(b.client);
    expect(rows.ACL!.filter((x) => x.match === 'outport == @np.ns.web.nbgen && tcp.dst == 9090')).toHaveLength(1);
    expect(rows.ACL).toHaveLength(2);
    // The second writer's view of the race, for the log.
    console.info(`concurrent same-owner commit: ${events.join(' → ')}`);
  });

  it('one shot: the monitor is gone before the commit, so the cache hears nothing back; the rows land and the reconciler closes', async () => {
    const rows = sampleRows('nbgen');
    // Control: a reconciler that keeps its cache hears its own commit come back.
    const kept = await reconciler('nbgen');
    let heardByKept = 0;
    kept.cache.onChange(() => heardByKept++);
    await kept.reconcile(policy('nbgen', 'other', ['db.shop']));
    expect(heardByKept).toBeGreaterThan(0);

    const r = await reconciler('nbgen');
    let heard = 0;
    r.cache.onChange(() => heard++);
    const result = await r.reconcile(mergeNbRows(rows, policy('nbgen', 'other', ['db.shop'])), { oneShot: true });
    expect(result).toMatchObject({ committed: true, attempts: 1 });
    expect(heard).toBe(0);
    expect(() => r.plan(rows)).toThrowError(/closed/);
    const fresh = await reconciler('nbgen');
    expect(fresh.plan(mergeNbRows(rows, policy('nbgen', 'other', ['db.shop'])))).toMatchObject({ inserts: [], updates: [], deletes: [] });
  });

  it('one shot: a write between plan and commit fails the guard; a new monitor is read and the retry converges', async () => {
    const a = await reconciler('nbgen');
    await a.reconcile(policy('nbgen', 'web', ['client.shop'], 'tcp.dst == 80'));
    const acl = a.state.ownedBy('ACL', 'nbgen').find((row) => String(row.match).includes('tcp.dst == 80'))!;
    const b = await reconciler('nbgen');
    const phases: string[] = [];
    const result = await b.reconcile(policy('nbgen', 'web', ['client.shop'], 'tcp.dst == 9090'), {
      oneShot: true,
      onProgress: (e) => {
        phases.push(e.phase);
        // Another writer, synchronously, after b planned and before it commits.
        if (e.phase === 'planned' && e.attempt === 1) {
          execFileSync('ovn-nbctl', [`--db=${nb().remotes.unix}`, 'set', 'ACL', acl._uuid, 'match="outport == @np.ns.web.nbgen && tcp.dst == 8080"']);
        }
      },
    });
    expect(phases).toEqual(['planned', 'retrying', 'planned', 'committed']);
    expect(result).toMatchObject({ committed: true, attempts: 2 });
    const after = await dump(a.client);
    expect(after.ACL!.map((row) => row.match).sort()).toEqual(['outport == @np.ns.web.nbgen && ip', 'outport == @np.ns.web.nbgen && tcp.dst == 9090']);
    expect(() => b.plan(emptyNbRows)).toThrowError(/closed/);
  });

  it('one shot: between a failed commit and its new monitor, plan() refuses with NBGEN_RECONCILE_BUSY', async () => {
    const a = await reconciler('nbgen');
    await a.reconcile(policy('nbgen', 'web', ['client.shop'], 'tcp.dst == 80'));
    const acl = a.state.ownedBy('ACL', 'nbgen').find((row) => String(row.match).includes('tcp.dst == 80'))!;
    const b = await reconciler('nbgen');
    let refused: unknown;
    await b.reconcile(policy('nbgen', 'web', ['client.shop'], 'tcp.dst == 9090'), {
      oneShot: true,
      onProgress: (e) => {
        if (e.phase === 'planned' && e.attempt === 1) {
          execFileSync('ovn-nbctl', [`--db=${nb().remotes.unix}`, 'set', 'ACL', acl._uuid, 'match="outport == @np.ns.web.nbgen && tcp.dst == 8080"']);
        }
        // The monitor was dropped for the commit and is not back yet: nothing to plan from.
        if (e.phase === 'retrying') {
          try {
            b.plan(emptyNbRows);
          } catch (error) {
            refused = error;
          }
        }
      },
    });
    expect(refused).toBeInstanceOf(ReconcileError);
    expect(refused).toMatchObject({ code: 'NBGEN_RECONCILE_BUSY', message: 'no monitor to plan from: a one-shot commit is in flight' });
  });

  it('two owners reconciling in parallel for 200 rounds end with every row of both exactly once', async () => {
    const owners = ['team-a', 'team-b'] as const;
    const reconcilers = await Promise.all(owners.map((o) => reconciler(o)));
    const ports = ['client.shop', 'frontend.shop', 'db.shop'];
    const desiredAt = (owner: string, round: number): NbRows => {
      // Each round: a different subset of policies and ports, and a rule that changes.
      const policies = [0, 1, 2, 3].filter((p) => (round + p) % 3 !== 0);
      const parts = policies.map((p) => policy(owner, `p${p}`, ports.slice(0, 1 + ((round + p) % 3)), `tcp.dst == ${8000 + (round % 7)}`));
      return {
        portGroups: parts.flatMap((x) => x.portGroups),
        addressSets: [],
        acls: parts.flatMap((x) => x.acls),
        nats: [],
        loadBalancers: [],
      };
    };
    let attempts = 0;
    let commits = 0;
    await Promise.all(
      reconcilers.map(async (r, i) => {
        for (let round = 0; round < 200; round++) {
          const result = await r.reconcile(desiredAt(owners[i]!, round));
          attempts += result.attempts;
          if (result.committed) commits++;
        }
      }),
    );
    const d = await dump(reconcilers[0]!.client);
    for (const owner of owners) {
      const want = desiredAt(owner, 199);
      const pgs = d.Port_Group!.filter((x) => (x.external_ids as Record<string, string>)['nbgen/owner'] === owner);
      const acls = d.ACL!.filter((x) => (x.external_ids as Record<string, string>)['nbgen/owner'] === owner);
      expect(pgs.map((x) => x.name).sort()).toEqual(want.portGroups.map((x) => x.name).sort());
      expect(acls.map((x) => x.match).sort()).toEqual(want.acls.map((x) => x.match).sort());
      for (const r of reconcilers.filter((x) => x.owner === owner)) expect(r.plan(want)).toMatchObject({ inserts: [], updates: [], deletes: [] });
    }
    expect(commits).toBeGreaterThan(300);
    console.info(`2 owners x 200 rounds: ${commits} commits, ${attempts} attempts for 400 reconciles`);
  }, 120_000);
});
