// A Kube-OVN VPC whose external subnet is `external0` (router port vpc1-external0), named by the
// ConfigMap kube-system/ovn-external-gw-config as Kube-OVN reads it. examples/eip-fip-external0 is
// written three ways — the exported script, `nbgen apply` with the ConfigMap, and `nbgen apply`
// without it (the gateway ports are then read from the router in the live NB) — and ovn-northd's
// flows say where each NAT runs: the distributed FIP on the pod's chassis, the centralized FIP and
// the SNAT on the active gateway chassis of vpc1-external0.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilitiesForOvnVersion, compile, loadModel, renderNbctlScript, type CompileOptions, withCompileDefaults } from '@ovn-nbgen/core';
import { explainNat } from '@ovn-nbgen/core/model';
import { run, type CliIo } from '../../../packages/cli/src/index.js';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { matchHasTerm, parseLogicalFlows, residentPorts, type LogicalFlow } from './lflows.js';
import { buildVpcTopology } from './vpcTopology.js';

const root = resolve(import.meta.dirname, '../../..');
const exampleDir = join(root, 'examples/eip-fip-external0');
const example = ['topology.yaml', 'nat.yaml'].map((name) => ({ name, text: readFileSync(join(exampleDir, name), 'utf8') }));
const CR = 'cr-vpc1-external0';

/**
 * The example without the ConfigMap: its topology minus the first document, and EIPs that name
 * external0 themselves (without the ConfigMap an empty spec.externalSubnet means `external`).
 * Only the live NB then says that vpc1's gateway port is vpc1-external0.
 */
function exampleWithoutConfigMap(dir: string): string[] {
  const docs = readFileSync(join(exampleDir, 'topology.yaml'), 'utf8').split(/^---$/m);
  expect(docs[0]).toContain('kind: ConfigMap');
  writeFileSync(join(dir, 'topology.yaml'), docs.slice(1).join('---'));
  const nat = readFileSync(join(exampleDir, 'nat.yaml'), 'utf8').replaceAll('spec: {v4Ip:', 'spec: {externalSubnet: external0, v4Ip:');
  writeFileSync(join(dir, 'nat.yaml'), nat);
  return ['-f', dir];
}

const WRITERS = ['export script', 'nbgen apply', 'nbgen apply, gateway ports read from the NB'] as const;

const snatResidency = (flows: readonly LogicalFlow[], from: string, to: string): string[] => [
  ...new Set(
    flows
      .filter((f) => f.stage === 'lr_out_snat' && matchHasTerm(f, `ip4.src == ${from}`) && f.actions.includes('ct_snat') && f.actions.includes(`(${to})`))
      .flatMap(residentPorts),
  ),
].sort();

const dnatResidency = (flows: readonly LogicalFlow[], eip: string, to: string): string[] => [
  ...new Set(flows.filter((f) => f.stage === 'lr_in_dnat' && matchHasTerm(f, `ip4.dst == ${eip}`) && f.actions.includes(to)).flatMap(residentPorts)),
].sort();

for (const version of OVN_VERSIONS) {
  for (const writer of WRITERS) {
    describe.skipIf(ovnToolsOrSkip(version) === null)(`NAT on external subnet external0 (ConfigMap), ovn-northd ${version}, written by ${writer}`, () => {
      let ovn: Ovn;
      let flows: LogicalFlow[];
      let tmp: string;
      const options: CompileOptions = withCompileDefaults({ owner: 'nbgen', capabilities: capabilitiesForOvnVersion(version) });

      beforeAll(async () => {
        tmp = mkdtempSync(join(tmpdir(), 'nbgen-external0-'));
        ovn = await startOvn({ version });
        await buildVpcTopology(ovn, {
          vpc: 'vpc1',
          subnet: { name: 'vpc1-subnet1', routerCidrs: ['192.168.0.1/24'] },
          pods: [
            { port: 'web-0.shop', mac: '00:00:00:0a:dd:27', ips: ['192.168.0.2'] },
            { port: 'db-0.shop', mac: '00:00:00:0a:dd:28', ips: ['192.168.0.3'] },
          ],
          externals: [{ name: 'external0', routerCidrs: ['10.6.0.254/24'], routerMac: '00:00:00:00:06:00' }],
          gatewayChassis: ['gw-1', 'gw-2'],
        });
        if (writer === 'export script') {
          const { rows } = compile(loadModel(example).model, options);
          await ovn.runScript(renderNbctlScript(rows, { owner: options.owner, capabilities: options.capabilities, target: `OVN ${version}` }));
        } else {
          const files =
            writer === 'nbgen apply'
              ? ['-f', 'examples/eip-fip-external0']
              : exampleWithoutConfigMap(tmp);
          let stderr = '';
          const io: CliIo = { stdout: () => undefined, stderr: (t) => void (stderr += t), readStdin: async () => '', cwd: root };
          const code = await run(['apply', ...files, '--db', `unix:${ovn.nbSocketPath}`], io);
          expect(code, stderr).toBe(0);
        }
        await ovn.syncSb();
        flows = parseLogicalFlows(await ovn.sbctl(['lflow-list', 'vpc1']));
      });

      afterAll(async () => {
        await ovn?.stop();
        if (tmp) rmSync(tmp, { recursive: true, force: true });
      });

      it('runs the distributed FIP on the pod\'s chassis, the centralized FIP and the SNAT on cr-vpc1-external0', () => {
        expect({
          'fip-web snat': snatResidency(flows, '192.168.0.2', '10.6.0.101'),
          'fip-web dnat': dnatResidency(flows, '10.6.0.101', '192.168.0.2').filter((p) => p === CR),
          'fip-db snat': snatResidency(flows, '192.168.0.3', '10.6.0.102'),
          'fip-db dnat': dnatResidency(flows, '10.6.0.102', '192.168.0.3'),
          'snat-subnet1': snatResidency(flows, '192.168.0.0/24', '10.6.0.115'),
        }).toEqual({
          'fip-web snat': ['web-0.shop'],
          'fip-web dnat': [],
          'fip-db snat': [CR],
          'fip-db dnat': [CR],
          'snat-subnet1': [CR],
        });
      });

      it('agrees with explain-nat about where every NAT runs', () => {
        const explanation = explainNat(loadModel(example).model, options);
        const explained = Object.fromEntries(
          explanation.eips.flatMap((eip) => eip.users.map((u) => [u.name, u.runsOn.kind === 'port-chassis' ? u.runsOn.logicalPort : `cr-${u.runsOn.gatewayPort}`])),
        );
        expect(explained).toEqual({
          'fip-web': snatResidency(flows, '192.168.0.2', '10.6.0.101').join(),
          'fip-db': snatResidency(flows, '192.168.0.3', '10.6.0.102').join(),
          'snat-subnet1': snatResidency(flows, '192.168.0.0/24', '10.6.0.115').join(),
        });
      });
    });
  }
}
