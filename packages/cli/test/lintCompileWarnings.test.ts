import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runNbgen } from './inProcessNbgen.js';

// lint reports what compile warns about as findings (id, severity, object, file#doc field, fix), in
// text and in -o json, instead of leaving them as warning lines on stderr.


const nbgen = (argv: readonly string[], stdin: string) => runNbgen(argv, { stdin });

const cluster = readFileSync(resolve(repoRoot, 'examples/walkthrough/cluster.yaml'), 'utf8');

const anp = (name: string, extraPeer = '') => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ${name}}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
  egress:
  - name: out
    action: Deny
    to:
    - networks: [192.0.2.1/24]${extraPeer}
`;

const input = `${cluster}\n---\n${anp('deny-a')}---\n${anp('deny-b')}`;

describe('nbgen lint reports compile warnings as findings', () => {
  it('two AdminNetworkPolicies at one priority (TIER_PRIORITY_TIE) and a CIDR with host bits, in text', async () => {
    const out = await nbgen(['lint', '-f', '-'], input);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const findings = out.stdout.split('\n\n').filter((block) => /NBG007|NBG012/.test(block));
    expect(findings).toEqual([
      [
        'warning NBG007 cidr-host-bits: AdminNetworkPolicy deny-a',
        '  at <stdin>#10 spec.egress[0].to[0].networks[0]',
        '  192.0.2.1/24 has host bits set; matching 192.0.2.0/24 (TIER_CIDR_HOST_BITS)',
        '  fix: write the network address (e.g. 10.0.0.0/24), or a /32 for one host.',
      ].join('\n'),
      [
        'warning NBG007 cidr-host-bits: AdminNetworkPolicy deny-b',
        '  at <stdin>#11 spec.egress[0].to[0].networks[0]',
        '  192.0.2.1/24 has host bits set; matching 192.0.2.0/24 (TIER_CIDR_HOST_BITS)',
        '  fix: write the network address (e.g. 10.0.0.0/24), or a /32 for one host.',
      ].join('\n'),
      expect.stringMatching(
        /^warning NBG012 priority-tie: AdminNetworkPolicy deny-b\n {2}at <stdin>#11 spec\.priority\n {2}AdminNetworkPolicy\/deny-a and AdminNetworkPolicy\/deny-b share .* priority 10 .*\(TIER_PRIORITY_TIE\)\n {2}fix: give the policies different spec\.priority values/,
      ),
    ]);
  });

  it('the same findings in -o json', async () => {
    const out = await nbgen(['lint', '-f', '-', '-o', 'json'], input);
    expect(out.stderr).toBe('');
    const { findings } = JSON.parse(out.stdout) as { findings: { id: string; severity: string; object: string; source: unknown; path: string; fix: string }[] };
    expect(findings.filter((f) => f.id === 'NBG012' || f.id === 'NBG007').map(({ id, severity, object, source, path }) => ({ id, severity, object, source, path }))).toEqual([
      { id: 'NBG007', severity: 'warning', object: 'AdminNetworkPolicy deny-a', source: { file: '<stdin>', doc: 10 }, path: 'spec.egress[0].to[0].networks[0]' },
      { id: 'NBG007', severity: 'warning', object: 'AdminNetworkPolicy deny-b', source: { file: '<stdin>', doc: 11 }, path: 'spec.egress[0].to[0].networks[0]' },
      { id: 'NBG012', severity: 'warning', object: 'AdminNetworkPolicy deny-b', source: { file: '<stdin>', doc: 11 }, path: 'spec.priority' },
    ]);
  });

  it('other commands still print compile warnings on stderr', async () => {
    const out = await nbgen(['export', '-f', '-'], input);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/^warning TIER_PRIORITY_TIE: <stdin>#11 spec\.priority: /m);
  });
});
