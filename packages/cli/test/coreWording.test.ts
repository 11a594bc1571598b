import { loadModel, lintModel } from '@ovn-nbgen/core';
import { GATEWAY_PORT_SOURCES } from '@ovn-nbgen/core/model';
import { describe, expect, it } from 'vitest';
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
});
