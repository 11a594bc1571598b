// Where does OVN run each NAT we write? Asked of ovn-northd itself: the VPC is built as Kube-OVN's
// VPC controller builds it (gateway port with TWO gateway chassis), the rows are written — by the
// exported ovn-nbctl script, and separately by `nbgen apply` (the live reconcile) — and the
// southbound logical flows of the router are read back.
//
// Expected placements are written from the API: a FIP with spec.type empty or `distributed` must
// run on the pod's chassis (flows gated by is_chassis_resident("<pod port>")), so it survives the
// loss of every gateway node (the field report); `centralized` must run on the active gateway
// chassis (is_chassis_resident("cr-<gateway port>")); SNAT and DNAT rules always run there.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  capabilitiesForOvnVersion,
  compile,
  kubeOvnPortName,
  loadModel,
  renderNbctlScript,
  type CompileOptions,
  type NbRows,
} from '@ovn-nbgen/core';
import { explainNat } from '@ovn-nbgen/core/model';
import { run, type CliIo } from '../../../packages/cli/src/index.js';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { matchHasTerm, parseLogicalFlows, residentPorts, type LogicalFlow } from './lflows.js';
import { buildVpcTopology } from './vpcTopology.js';

const exampleDir = join(import.meta.dirname, '../../../examples/eip-fip');
const example = ['topology.yaml', 'nat.yaml'].map((name) => ({ name, text: readFileSync(join(exampleDir, name), 'utf8') }));

const GATEWAY_PORT = 'vpc1-external204';
const CR = `cr-${GATEWAY_PORT}`;

function optionsFor(version: string): CompileOptions {
  return {
    owner: 'nbgen',
    capabilities: capabilitiesForOvnVersion(version),
    portNameFor: kubeOvnPortName,
    alwaysAllowCidrs: [],
    logging: {},
  };
}

/** lr_out_snat flows that SNAT `from` to `to` (the NAT's egress half). */
const snatFlows = (flows: readonly LogicalFlow[], from: string, to: string): LogicalFlow[] =>
  flows.filter((f) => f.stage === 'lr_out_snat' && matchHasTerm(f, `ip4.src == ${from}`) && f.actions.includes(`ct_snat`) && f.actions.includes(`(${to})`));

/** lr_in_dnat flows that DNAT traffic for `eip` to `to` (the NAT's ingress half). */
const dnatFlows = (flows: readonly LogicalFlow[], eip: string, to: string): LogicalFlow[] =>
  flows.filter((f) => f.stage === 'lr_in_dnat' && matchHasTerm(f, `ip4.dst == ${eip}`) && f.actions.includes(to));

/** ARP replies for `eip` on the gateway port: the chassis that answers is where traffic arrives. */
const arpFlows = (flows: readonly LogicalFlow[], eip: string): LogicalFlow[] =>
  flows.filter((f) => f.stage === 'lr_in_ip_input' && matchHasTerm(f, `arp.tpa == ${eip}`) && f.actions.includes('arp.op = 2'));

const residency = (flows: readonly LogicalFlow[]): string[] => [...new Set(flows.flatMap(residentPorts))].sort();

/** `nbgen apply -f examples/eip-fip --db unix:<socket>` in-process; its compile target is the live schema. */
async function nbgenApply(nbSocketPath: string): Promise<void> {
  let stderr = '';
  const io: CliIo = { stdout: () => undefined, stderr: (t) => void (stderr += t), readStdin: async () => '', cwd: resolve(exampleDir, '../..') };
  const code = await run(['apply', '-f', 'examples/eip-fip', '--db', `unix:${nbSocketPath}`], io);
  expect(code, stderr).toBe(0);
}

const WRITERS = ['export script', 'nbgen apply'] as const;

for (const version of OVN_VERSIONS) {
  for (const writer of WRITERS) {
    const tools = ovnToolsOrSkip(version);
    describe.skipIf(tools === null)(`NAT placement decided by ovn-northd ${version}, rows written by ${writer}`, () => {
      let ovn: Ovn;
      let rows: NbRows;
      let flows: LogicalFlow[];

      beforeAll(async () => {
        ovn = await startOvn({ version });
        await buildVpcTopology(ovn, {
          vpc: 'vpc1',
          subnet: { name: 'vpc1-subnet1', routerCidrs: ['192.168.0.1/24'] },
          pods: [
            { port: 'web-0.shop', mac: '00:00:00:0a:dd:27', ips: ['192.168.0.2'] },
            { port: 'db-0.shop', mac: '00:00:00:0a:dd:28', ips: ['192.168.0.3'] },
            { port: 'legacy-0.shop', mac: '00:00:00:0a:dd:29', ips: ['192.168.0.4'] },
          ],
          externals: [{ name: 'external204', routerCidrs: ['10.5.204.254/24'], routerMac: '00:00:00:00:02:04' }],
          gatewayChassis: ['gw-1', 'gw-2'],
        });
        const options = optionsFor(version);
        rows = compile(loadModel(example).model, options).rows;
        if (writer === 'export script') {
          await ovn.runScript(renderNbctlScript(rows, { owner: options.owner, capabilities: options.capabilities, target: `OVN ${version}` }));
        } else {
          await nbgenApply(ovn.nbSocketPath);
        }
        // What Kube-OVN writes for an OvnFip with spec.type: centralized: port and MAC anyway.
        await ovn.nbctl(['lr-nat-add', 'vpc1', 'dnat_and_snat', '10.5.204.103', '192.168.0.4', 'legacy-0.shop', '00:00:00:0a:dd:29']);
        await ovn.syncSb();
        flows = parseLogicalFlows(await ovn.sbctl(['lflow-list', 'vpc1']));
      });

      afterAll(async () => {
        await ovn?.stop();
      });

      it('has a chassisredirect port for the gateway port, backed by both gateway chassis', async () => {
        const csv = async (args: string[]): Promise<string[][]> =>
          (await ovn.sbctl(['--format=csv', '--data=bare', '--no-headings', ...args])).trim().split('\n').map((l) => l.split(','));
        expect(await csv(['--columns=type', 'find', 'Port_Binding', `logical_port=${CR}`])).toEqual([['chassisredirect']]);
        const chassisName = new Map((await csv(['--columns=_uuid,name', 'list', 'Chassis'])).map(([uuid, name]) => [uuid, name]));
        const haChassis = (await csv(['--columns=chassis,priority', 'list', 'HA_Chassis'])).map(([uuid, prio]) => [chassisName.get(uuid!), Number(prio)]);
        expect(haChassis.sort()).toEqual([
          ['gw-1', 100],
          ['gw-2', 99],
        ]);
      });

      it('runs the distributed FIP on the pod\'s chassis: SNAT, ARP and the pod MAC gated by the pod port', () => {
        const snat = snatFlows(flows, '192.168.0.2', '10.5.204.101');
        expect(snat.length).toBeGreaterThan(0);
        expect(residency(snat)).toEqual(['web-0.shop']);
        expect(snat.every((f) => f.actions.includes('eth.src = 00:00:00:0a:dd:27'))).toBe(true);
        // The EIP is answered for from the pod's node (with the pod's MAC), never from a gateway.
        const gatedArp = arpFlows(flows, '10.5.204.101').filter((f) => residentPorts(f).length > 0);
        expect(residency(gatedArp)).toEqual(['web-0.shop']);
        // DNAT to the pod IP, with no gateway chassis in the way.
        const dnat = dnatFlows(flows, '10.5.204.101', '192.168.0.2');
        expect(dnat.length).toBeGreaterThan(0);
        expect(dnat.every((f) => f.actions.includes('ct_dnat'))).toBe(true);
        expect(residency(dnat)).not.toContain(CR);
      });

      it('runs the centralized FIP on the active gateway chassis: SNAT, ARP and DNAT gated by cr-<gateway port>', () => {
        const snat = snatFlows(flows, '192.168.0.3', '10.5.204.102');
        expect(snat.length).toBeGreaterThan(0);
        expect(residency(snat)).toEqual([CR]);
        expect(snat.some((f) => f.actions.includes('eth.src ='))).toBe(false);
        expect(residency(arpFlows(flows, '10.5.204.102').filter((f) => residentPorts(f).length > 0))).toEqual([CR]);
        const dnat = dnatFlows(flows, '10.5.204.102', '192.168.0.3');
        expect(dnat.length).toBeGreaterThan(0);
        expect(residency(dnat)).toEqual([CR]);
      });

      it('runs the subnet SNAT and the DNAT port (router load balancer) on the gateway chassis', () => {
        const snat = snatFlows(flows, '192.168.0.0/24', '10.5.204.115');
        expect(snat.length).toBeGreaterThan(0);
        expect(residency(snat)).toEqual([CR]);
        const lb = flows.filter(
          (f) => f.stage === 'lr_in_dnat' && matchHasTerm(f, 'ip4.dst == 10.5.204.130') && matchHasTerm(f, 'tcp.dst == 2222'),
        );
        expect(lb.length).toBeGreaterThan(0);
        expect(lb.every((f) => /ct_lb(_mark)?\(backends=192\.168\.0\.3:22\)/.test(f.actions))).toBe(true);
        expect(residency(lb)).toEqual([CR]);
      });

      it('shows the field report: Kube-OVN\'s "centralized" FIP (port and MAC written anyway) runs on the pod\'s chassis', () => {
        expect(residency(snatFlows(flows, '192.168.0.4', '10.5.204.103'))).toEqual(['legacy-0.shop']);
      });

      it('agrees with explain-nat about where every NAT runs', () => {
        const explanation = explainNat(loadModel(example).model, optionsFor(version));
        const explained = Object.fromEntries(
          explanation.eips.flatMap((eip) =>
            eip.users.map((u) => [u.name, u.runsOn.kind === 'port-chassis' ? u.runsOn.logicalPort : `cr-${u.runsOn.gatewayPort}`]),
          ),
        );
        const observed = {
          'fip-web': residency(snatFlows(flows, '192.168.0.2', '10.5.204.101')).join(),
          'fip-db': residency(snatFlows(flows, '192.168.0.3', '10.5.204.102')).join(),
          'snat-subnet1': residency(snatFlows(flows, '192.168.0.0/24', '10.5.204.115')).join(),
          'ssh-db': residency(flows.filter((f) => f.stage === 'lr_in_dnat' && matchHasTerm(f, 'ip4.dst == 10.5.204.130'))).join(),
        };
        expect(explained).toEqual(observed);
        expect(observed).toEqual({ 'fip-web': 'web-0.shop', 'fip-db': CR, 'snat-subnet1': CR, 'ssh-db': CR });
      });

      it('wrote rows that carry our ownership and nothing else changed them', async () => {
        const nat = await ovn.nbctl(['--format=csv', '--data=bare', '--no-headings', '--columns=external_ip,logical_port,external_ids', 'list', 'NAT']);
        const byIp = Object.fromEntries(
          nat
            .trim()
            .split('\n')
            .map((line) => line.split(','))
            .map(([ip, port, ...ids]) => [ip, { port, owned: ids.join(',').includes('nbgen/owner=nbgen') }]),
        );
        expect(byIp).toEqual({
          '10.5.204.101': { port: 'web-0.shop', owned: true },
          '10.5.204.102': { port: '', owned: true },
          '10.5.204.115': { port: '', owned: true },
          '10.5.204.103': { port: 'legacy-0.shop', owned: false },
        });
        expect(rows.nats).toHaveLength(3);
      });
    });
  }
}
