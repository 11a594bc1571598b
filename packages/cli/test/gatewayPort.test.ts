import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayPortsFromRows } from '../src/live/gatewayPorts.js';
import { runNbgen } from './inProcessNbgen.js';

const root = join(import.meta.dirname, '../../..');

const nbgen = (...argv: string[]) => runNbgen(argv);

const NAT_COMMANDS = ['render', 'export', 'diff', 'apply', 'lint', 'explain-nat'] as const;

describe('examples/eip-fip-external0 (external subnet named by the ConfigMap)', () => {
  const readme = readFileSync(join(root, 'examples/eip-fip-external0/README.md'), 'utf8');

  it('explain-nat prints exactly what the README shows', async () => {
    const shown = /\$ nbgen explain-nat -f examples\/eip-fip-external0\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(shown).toBeDefined();
    expect(await nbgen('explain-nat', '-f', 'examples/eip-fip-external0')).toEqual({ code: 0, stdout: shown, stderr: '' });
  });

  it('export writes its three NAT rows with no flag', async () => {
    const { code, stdout, stderr } = await nbgen('export', '-f', 'examples/eip-fip-external0');
    expect([code, stderr]).toEqual([0, '']);
    expect([...stdout.matchAll(/^nat '"vpc1"' '' type=(\S+) 'external_ip="([^"]+)"'/gm)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      'dnat_and_snat 10.6.0.101',
      'dnat_and_snat 10.6.0.102',
      'snat 10.6.0.115',
    ]);
  });
});

describe('--gateway-port: one flag on every command that compiles NAT', () => {
  let dir: string;
  beforeAll(() => {
    // The same cluster without the ConfigMap, EIPs naming external0: nothing says the port's name.
    dir = mkdtempSync(join(tmpdir(), 'nbgen-gwport-'));
    const docs = readFileSync(join(root, 'examples/eip-fip-external0/topology.yaml'), 'utf8').split(/^---$/m);
    writeFileSync(join(dir, 'topology.yaml'), docs.slice(1).join('---'));
    writeFileSync(
      join(dir, 'nat.yaml'),
      readFileSync(join(root, 'examples/eip-fip-external0/nat.yaml'), 'utf8').replaceAll('spec: {v4Ip:', 'spec: {externalSubnet: external0, v4Ip:'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(NAT_COMMANDS)('%s documents it in its help', async (command) => {
    const { stdout } = await nbgen('help', command);
    expect(stdout.match(/^ +--gateway-port ROUTER\/SUBNET=LRP$/gm)).toHaveLength(1);
  });

  it.each(['render', 'export', 'lint', 'explain-nat'])('%s refuses the VPC without it, naming all three ways, and compiles with it', async (command) => {
    const refused = await nbgen(command, '-f', dir);
    expect([refused.code, refused.stdout]).toEqual([2, '']);
    for (const way of ['--gateway-port ROUTER/SUBNET=LRP', 'ConfigMap kube-system/ovn-external-gw-config (external-gw-switch)', 'diff/apply, which read them from the router in the live NB']) {
      expect(refused.stderr).toContain(way);
    }
    const given = await nbgen(command, '-f', dir, '--gateway-port', 'vpc1/external0=vpc1-external0');
    expect([given.code, given.stderr]).toEqual([0, '']);
  });

  it('a malformed value is a usage error on diff and apply too, before any connection', async () => {
    for (const argv of [['render'], ['diff', '--db', 'unix:/nonexistent/nb.sock'], ['apply', '--db', 'unix:/nonexistent/nb.sock']]) {
      const bad = await nbgen(...argv, '-f', dir, '--gateway-port', 'vpc1=x');
      expect([bad.code, bad.stdout]).toEqual([2, '']);
      expect(bad.stderr).toContain('--gateway-port: expected ROUTER/SUBNET=LRP, found "vpc1=x"');
    }
  });
});

describe('gateway ports read from a live NB', () => {
  it('takes the ports with gateway_chassis or ha_chassis_group, each on the switch its peer port is on', () => {
    const ports = gatewayPortsFromRows({
      routers: [
        { name: 'vpc1', ports: ['u-lrp-int', 'u-lrp-ext0', 'u-lrp-ha'] },
        { name: 'vpc2', ports: ['u-lrp-bare'] },
      ],
      routerPorts: [
        { _uuid: 'u-lrp-int', name: 'vpc1-vpc1-subnet1', gateway_chassis: [], ha_chassis_group: null },
        { _uuid: 'u-lrp-ext0', name: 'vpc1-external0', gateway_chassis: ['u-gc1', 'u-gc2'], ha_chassis_group: null },
        { _uuid: 'u-lrp-ha', name: 'lrp-uplink', gateway_chassis: [], ha_chassis_group: 'u-hag' },
        { _uuid: 'u-lrp-bare', name: 'vpc2-external9', gateway_chassis: ['u-gc3'], ha_chassis_group: null },
      ],
      switchPorts: [
        { _uuid: 'u-lsp-ext0', options: { 'router-port': 'vpc1-external0' } },
        { _uuid: 'u-lsp-up', options: { 'router-port': 'lrp-uplink' } },
      ],
      switches: [
        { name: 'external0', ports: ['u-lsp-ext0'] },
        { name: 'uplink-net', ports: ['u-lsp-up'] },
      ],
    });
    // vpc2's port is on no switch: Kube-OVN's <vpc>-<subnet> name is all there is.
    expect(ports).toEqual({ vpc1: { external0: 'vpc1-external0', 'uplink-net': 'lrp-uplink' }, vpc2: { external9: 'vpc2-external9' } });
  });
});
