// The exported ovn-nbctl script against a real ovsdb-server (OVN 23.03, and 25.03 with ACL tiers
// when its root is installed): it writes exactly the rendered rows, is idempotent, owns only its
// rows, and fails without writing anything.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  AclRow,
  capabilitiesForOvnVersion,
  compile,
  kubeOvnPortName,
  loadModel,
  mergeNbRows,
  NatRow,
  renderNbctlScript,
  type ManifestSource,
  type NbRows,
} from '@ovn-nbgen/core';
import { parseDeletionLimit } from '@ovn-nbgen/core/script';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ovnToolsOrSkip, startOvn, type Ovn, type OvnVersion } from '../harness/ovn.js';
import { buildTopology } from '../harness/topology.js';
import { ToolError } from '../harness/tools.js';
import { sampleRows } from '../../packages/core/test/script/fixtures.js';
import { SCRIPT_REFUSAL_WORDING } from '../../packages/cli/src/coreWording.js';
import { canonicalDump, readOwnedRows } from './nbDump.js';

const repoRoot = resolve(import.meta.dirname, '../..');

const exampleSources: ManifestSource[] = ['cluster.yaml', 'client-egress.yaml'].map((file) => {
  const name = join('examples/underlay-service', file);
  return { name, text: readFileSync(join(repoRoot, name), 'utf8') };
});

/** Ingress isolation of the frontend: only the client, only on 8000. */
const frontendIngress: ManifestSource = {
  name: 'frontend-ingress.yaml',
  text: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: frontend-ingress, namespace: shop }
spec:
  podSelector: { matchLabels: { app: frontend } }
  policyTypes: [Ingress]
  ingress:
    - from: [{ podSelector: { matchLabels: { app: client } } }]
      ports: [{ protocol: TCP, port: 8000 }]
`,
};

/** Another team's namespace, exported under another owner. */
const otherTeam: ManifestSource = {
  name: 'other.yaml',
  text: `
apiVersion: v1
kind: Pod
metadata: { name: db, namespace: other, labels: { app: db } }
status: { podIP: 10.16.1.10 }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-deny-all, namespace: other }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
};

/** Six ingress policies on the client: a port group and two ACLs each (18 rows; their peer set is the example's). */
const sixPolicies: ManifestSource = {
  name: 'six.yaml',
  text: [0, 1, 2, 3, 4, 5]
    .map(
      (i) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: client-in-${i}, namespace: shop }
spec:
  podSelector: { matchLabels: { app: client } }
  policyTypes: [Ingress]
  ingress: [{ from: [{ podSelector: { matchLabels: { app: frontend } } }], ports: [{ protocol: TCP, port: ${8000 + i} }] }]
`,
    )
    .join('---\n'),
};

describe.each(['23.03', '25.03'] as const satisfies readonly OvnVersion[])('exported ovn-nbctl script on a real NB (OVN %s)', (version) => {
  const capabilities = capabilitiesForOvnVersion(version);

  function compileRows(sources: readonly ManifestSource[], owner: string): NbRows {
    const { model } = loadModel(sources);
    const { rows, warnings } = compile(model, {
      owner,
      capabilities,
      portNameFor: kubeOvnPortName,
      alwaysAllowCidrs: [],
      logging: {},
    });
    expect(warnings).toEqual([]);
    return rows;
  }

  /** Policy rows of owner `nbgen` plus a NAT and a Load_Balancer on the cluster router. */
  function ownerRows(sources: readonly ManifestSource[]): NbRows {
    const { nats, loadBalancers } = sampleRows('nbgen');
    return mergeNbRows(compileRows(sources, 'nbgen'), { ...compileRows([], 'nbgen'), nats, loadBalancers });
  }

  // Worded as `nbgen export` words it (the CLI names its flags in the deletion refusal).
  const script = (rows: NbRows, owner = 'nbgen'): string => renderNbctlScript(rows, { owner, capabilities, refusalWording: SCRIPT_REFUSAL_WORDING });

  const tools = ovnToolsOrSkip(version);

  describe.skipIf(tools === null)('scenarios', () => {
    let ovn: Ovn;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    /** The cluster as Kube-OVN would have it before any policy: switch, router, a port per pod. */
    async function freshCluster(): Promise<void> {
      await ovn.resetNb();
      const { model } = loadModel([...exampleSources, otherTeam]);
      await buildTopology(ovn, { pods: model.pods });
    }

    /** Rows nobody generated: a port group with an ACL, an address set, a NAT and a load balancer. */
    async function handMadeRows(): Promise<void> {
      await ovn.nbctl(['pg-add', 'handmade', 'client.shop']);
      await ovn.nbctl(['--type=port-group', 'acl-add', 'handmade', 'to-lport', '1000', 'outport == @handmade && tcp.dst == 22', 'drop']);
      await ovn.nbctl(['create', 'Address_Set', 'name=handmade_ips', 'addresses=["192.0.2.1"]']);
      await ovn.nbctl(['lr-nat-add', 'ovn-cluster', 'snat', '172.19.0.1', '10.16.0.0/16']);
      await ovn.nbctl(['lb-add', 'handmade-lb', '172.19.0.99:443', '10.16.0.10:8443', 'tcp']);
      await ovn.nbctl(['lr-lb-add', 'ovn-cluster', 'handmade-lb']);
    }

    async function runScript(text: string, env: Record<string, string> = {}): Promise<string> {
      return (await ovn.runScript(text, env)).stderr;
    }

    beforeEach(freshCluster);

    it('writes exactly the rendered rows, and a second run leaves the NB as the first did', async () => {
      const rows = ownerRows([...exampleSources, frontendIngress]);
      expect(rows.acls.length).toBeGreaterThan(3);
      await runScript(script(rows));
      expect(await readOwnedRows(ovn, 'nbgen')).toEqual(rows);
      const once = await canonicalDump(ovn);
      await runScript(script(rows));
      expect(await canonicalDump(ovn)).toEqual(once);
    });

    it('leaves hand-made rows and another owner’s rows alone, and removes exactly a dropped policy’s rows', async () => {
      const full = ownerRows([...exampleSources, frontendIngress]);
      const reduced = ownerRows(exampleSources);
      const teamB = compileRows([otherTeam], 'team-b');

      await handMadeRows();
      await runScript(script(teamB, 'team-b'));
      await runScript(script(full));
      await runScript(script(reduced));
      const afterRemoval = await canonicalDump(ovn);
      expect(await readOwnedRows(ovn, 'nbgen')).toEqual(reduced);
      expect(await readOwnedRows(ovn, 'team-b')).toEqual(teamB);

      // The same NB built without the dropped policy ever being there.
      await freshCluster();
      await handMadeRows();
      await runScript(script(teamB, 'team-b'));
      await runScript(script(reduced));
      expect(afterRemoval).toEqual(await canonicalDump(ovn));
    });

    it('deletes every row of its owner when run with no rows and no deletion limit (nbgen delete --script)', async () => {
      await handMadeRows();
      const before = await canonicalDump(ovn);
      await runScript(script(ownerRows([...exampleSources, frontendIngress])));
      await runScript(renderNbctlScript(compileRows([], 'nbgen'), { owner: 'nbgen', capabilities, deletionLimit: parseDeletionLimit('100%')! }));
      expect(await canonicalDump(ovn)).toEqual(before);
    });

    it('refuses, before any write, to delete more than the deletion limit; NBGEN_MAX_DELETE or --max-delete lets it go', async () => {
      await handMadeRows();
      const full = ownerRows([...exampleSources, sixPolicies]);
      const reduced = ownerRows(exampleSources);
      await runScript(script(full));
      const dump = await canonicalDump(ovn);
      const refused = await ovn.runScript(script(reduced)).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ToolError);
      expect((refused as ToolError).stderr).toBe(
        'nbgen: refusing to delete 18 of the 24 rows of owner "nbgen" (Port_Group 6 of 7, ACL 12 of 14): ' +
          'over the deletion limit, more than 50% and more than 10 rows, or all rows with none written (the default). Nothing was written.\n' +
          "nbgen: Check the input (a missing or mistyped file removes its policies' rows); if these rows should go, run again with " +
          'NBGEN_MAX_DELETE=18 (or 100%), or export with --max-delete; to remove all rows of an owner, use nbgen delete --owner nbgen.\n',
      );
      expect(await canonicalDump(ovn)).toEqual(dump);
      // A limit the deletions stay within: written. 18 of 24 is 75%.
      const byLimit = renderNbctlScript(reduced, { owner: 'nbgen', capabilities, deletionLimit: parseDeletionLimit('75%')! });
      await runScript(byLimit);
      expect(await readOwnedRows(ovn, 'nbgen')).toEqual(reduced);
      await runScript(script(full));
      await runScript(script(reduced), { NBGEN_MAX_DELETE: '18' });
      expect(await readOwnedRows(ovn, 'nbgen')).toEqual(reduced);
    });

    it('refuses to remove every row of a small owner with nothing written, and to drop its NATs and load balancers past the limit', async () => {
      const rows = ownerRows(exampleSources);
      await runScript(script(rows));
      const dump = await canonicalDump(ovn);
      const emptied = await ovn.runScript(script(compileRows([], 'nbgen'))).catch((e: unknown) => e);
      expect((emptied as ToolError).stderr).toMatch(/^nbgen: refusing to delete (\d+) of the \1 rows of owner "nbgen" \(.*; none would be left\)/);
      const noNat = ovn.runScript(script({ ...rows, nats: [], loadBalancers: [] }), { NBGEN_MAX_DELETE: '0' }).catch((e: unknown) => e);
      expect(((await noNat) as ToolError).stderr).toMatch(
        new RegExp(`^nbgen: refusing to delete ${rows.nats.length + rows.loadBalancers.length} of the \\d+ rows of owner "nbgen" \\(NAT ${rows.nats.length} of ${rows.nats.length}, Load_Balancer ${rows.loadBalancers.length} of ${rows.loadBalancers.length}\\): over the deletion limit, more than 0 rows?\\. `),
      );
      expect(await canonicalDump(ovn)).toEqual(dump);
    });

    it('changes nothing when the transaction fails (a NAT names a gateway port that does not exist)', async () => {
      const before = ownerRows(exampleSources);
      await runScript(script(before));
      const dump = await canonicalDump(ovn);
      const broken = mergeNbRows(ownerRows([...exampleSources, frontendIngress]), {
        ...compileRows([], 'nbgen'),
        nats: [NatRow({ ...before.nats[0]!, externalIp: '172.19.0.12', gatewayPort: 'no-such-port' })],
      });
      const failure = await ovn.runScript(script(broken)).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ToolError);
      expect((failure as ToolError).stderr).toContain('no row "no-such-port" in table Logical_Router_Port');
      expect(await canonicalDump(ovn)).toEqual(dump);
    });

    it('refuses to take over a port group of the same name that is not its own', async () => {
      const rows = ownerRows(exampleSources);
      await ovn.nbctl(['pg-add', rows.portGroups[0]!.name]);
      const dump = await canonicalDump(ovn);
      const failure = await ovn.runScript(script(rows)).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ToolError);
      expect((failure as ToolError).stderr).toContain(
        `nbgen: Port_Group "${rows.portGroups[0]!.name}" exists and is not owned by nbgen; not touching it`,
      );
      expect(await canonicalDump(ovn)).toEqual(dump);
    });

    it('leaves a pod without a logical switch port out of its group, with a warning', async () => {
      const rows = ownerRows(exampleSources);
      await ovn.nbctl(['lsp-del', 'client.shop']);
      const stderr = await runScript(script(rows));
      expect(stderr).toContain('nbgen: Port_Group "np.shop.client_egress": logical switch port "client.shop" not found; left out');
      const written = await readOwnedRows(ovn, 'nbgen');
      expect(written.portGroups.find((pg) => pg.name === 'np.shop.client_egress')?.ports).toEqual([]);
      // Once the port exists, the next run adds it.
      await ovn.nbctl(['lsp-add', 'ovn-default', 'client.shop']);
      await runScript(script(rows));
      expect(await readOwnedRows(ovn, 'nbgen')).toEqual(rows);
    });

    it('ends in the same NB when a large write is split into several transactions', async () => {
      const rows = ownerRows([...exampleSources, frontendIngress]);
      await runScript(script(ownerRows(exampleSources)));
      const stderr = await runScript(script(rows), { NBGEN_MAX_TXN_BYTES: '1500' });
      expect(stderr).toMatch(/written in ([2-9]|\d\d+) transaction\(s\)/);
      const split = await canonicalDump(ovn);

      await freshCluster();
      await runScript(script(ownerRows(exampleSources)));
      await runScript(script(rows));
      expect(split).toEqual(await canonicalDump(ovn));
    });

    it('writes ACL options, logging and names as rendered (apply-after-lb on every egress ACL)', async () => {
      const rows = ownerRows([...exampleSources, frontendIngress]);
      const logged: NbRows = {
        ...rows,
        acls: rows.acls.map((acl, i) => (i === 0 ? AclRow({ ...acl, log: true, severity: 'warning', meter: 'acl-meter' }) : acl)),
      };
      await runScript(script(logged));
      const written = await readOwnedRows(ovn, 'nbgen');
      expect(written).toEqual(logged);
      expect(written.acls.filter((a) => a.direction === 'from-lport').every((a) => a.options['apply-after-lb'] === 'true')).toBe(true);
    });
  });
});
