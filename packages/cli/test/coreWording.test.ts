import { loadModel, lintModel } from '@ovn-nbgen/core';
import { GATEWAY_PORT_SOURCES } from '@ovn-nbgen/core/model';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, type CliIo } from '../src/index.js';
import { inCliTerms } from '../src/coreWording.js';

describe('core says what to supply in library terms, nbgen names its flags for it', () => {
  it('the gateway port sources: core names the compile option, nbgen --gateway-port and diff/apply', () => {
    expect(GATEWAY_PORT_SOURCES).not.toMatch(/--|nbgen|diff\/apply/);
    const printed = inCliTerms(`Vpc "v" not found: ${GATEWAY_PORT_SOURCES}`);
    for (const way of ['--gateway-port ROUTER/SUBNET=LRP', 'ConfigMap kube-system/ovn-external-gw-config (external-gw-switch)', 'diff/apply, which read them from the router in the live NB']) {
      expect(printed).toContain(way);
    }
  });

  it('the fix of NBG014: core names the capability, nbgen --ovn-version', () => {
    const warning = { code: 'NAT_GATEWAY_PORT_UNSUPPORTED', message: 'router vpc1 has two gateway ports' } as const;
    const [finding] = lintModel(loadModel([]).model, { compileWarnings: [warning] }).filter((f) => f.id === 'NBG014');
    expect(finding?.fix).toBe('target OVN 22.06 or later (capabilities.natGatewayPort), or give the router one gateway port.');
    expect(inCliTerms(finding!.fix)).toBe('target OVN 22.06 or later (--ovn-version), or give the router one gateway port.');
  });

  it('the hint for a client SNATed by a NodePort: core says judge it from the node address, nbgen explain says run explain --from', async () => {
    let stdout = '';
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => undefined, readStdin: async () => '', cwd: resolve(import.meta.dirname, '../../..') };
    const files = ['cluster.yaml', 'nodeport/public-service.yaml', 'nodeport/office-only.yaml'].flatMap((f) => ['-f', `examples/walkthrough/${f}`]);
    expect(await run(['explain', ...files, '--from', '203.0.113.7', '--to', 'shop/web-0', '--port', '8000'], io)).toBe(0);
    expect(stdout).toContain('never matches: run explain --from <node address> for that case');
    expect(stdout).not.toContain('judge the flow from');
    stdout = '';
    expect(await run(['explain', ...files, '--from', '203.0.113.7', '--to', 'shop/web-0', '--port', '8000', '-o', 'json'], io)).toBe(0);
    expect(JSON.parse(stdout).hints.join('\n')).toContain('run explain --from <node address>');
  });
});
