import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNbgen } from './inProcessNbgen.js';
import { parseGatewayPorts } from '../src/options/gatewayPorts.js';

const root = join(import.meta.dirname, '../../..');

const nbgen = (...argv: string[]) => runNbgen(argv);

describe('nbgen explain-nat', () => {
  it('explains the eip-fip example as text: the distributed FIP survives every gateway down, the rest do not', async () => {
    const { code, stdout, stderr } = await nbgen('explain-nat', '-f', 'examples/eip-fip');
    expect([code, stderr]).toEqual([0, '']);
    const verdicts = [...stdout.matchAll(/^  (\S+ \S+)  (distributed|centralized)  router vpc1\n(?:    .*\n)*?    keeps working with every gateway node down: (yes|no)$/gm)].map(
      (m) => `${m[1]} ${m[2]} ${m[3]}`,
    );
    expect(verdicts).toEqual([
      'OvnFip fip-db centralized no',
      'OvnSnatRule snat-subnet1 centralized no',
      'OvnDnatRule ssh-db centralized no',
      'OvnFip fip-web distributed yes',
    ]);
    expect(stdout).toContain('runs on: the chassis hosting logical port web-0.shop (node worker-1)');
    expect(stdout).toContain('runs on: the active gateway chassis of port vpc1-external204 (one of gw-1, gw-2)');
  });

  it('prints exactly what examples/eip-fip/README.md shows', async () => {
    const readme = readFileSync(join(root, 'examples/eip-fip/README.md'), 'utf8');
    const shown = /\$ nbgen explain-nat -f examples\/eip-fip\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(shown).toBeDefined();
    expect((await nbgen('explain-nat', '-f', 'examples/eip-fip')).stdout).toBe(shown);
  });

  it('prints the same explanation as JSON', async () => {
    const { code, stdout } = await nbgen('explain-nat', '-f', 'examples/eip-fip', '-o', 'json');
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { eips: { eip: string; users: { name: string; runsOn: unknown; survivesAllGatewaysDown: boolean }[] }[] };
    expect(parsed.eips.find((e) => e.eip === 'eip-web')!.users).toMatchObject([
      { name: 'fip-web', runsOn: { kind: 'port-chassis', logicalPort: 'web-0.shop', node: 'worker-1' }, survivesAllGatewaysDown: true },
    ]);
  });

  it('uses given gateway ports instead of the Vpc convention', async () => {
    const { stdout } = await nbgen('explain-nat', '-f', 'examples/eip-fip', '--gateway-port', 'vpc1/external204=lrp-ext');
    expect(stdout).toContain('runs on: the active gateway chassis of port lrp-ext (one of gw-1, gw-2)');
  });

  it('rejects a bad output format and bad gateway ports as usage errors, with nothing on stdout', async () => {
    const bad = await nbgen('explain-nat', '-f', 'examples/eip-fip', '-o', 'yaml');
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toContain('--output: expected text or json, found "yaml"');
    expect(parseGatewayPorts(['vpc1=x', 'a/b=c', 'a/b=d']).problems).toEqual([
      '--gateway-port: expected ROUTER/SUBNET=LRP, found "vpc1=x"',
      '--gateway-port: a/b given twice (c and d)',
    ]);
  });

  it('reports invalid NAT input with file, document and field, exit code 2', async () => {
    const { code, stdout, stderr } = await nbgen('explain-nat', '-f', 'examples/eip-fip/nat.yaml');
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toContain('examples/eip-fip/nat.yaml#0 spec.externalSubnet: Subnet "external204" not found among the inputs');
  });
});
