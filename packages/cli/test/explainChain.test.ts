import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioSources } from '../../../test/e2e/tiers/run.js';
import { tierScenarios } from '../../../test/e2e/tiers/scenarios.js';
import { runNbgen, scratchDirectory } from './inProcessNbgen.js';

const { path: dir } = scratchDirectory('nbgen-chain-');
const nbgen = (...argv: string[]) => runNbgen(argv, { cwd: dir });

describe('nbgen explain: the Admin Pass in the decision chain on both targets', () => {
  it('prints the same chain in text and JSON for --ovn-version 23.03 and 25.03', async () => {
    const scenario = tierScenarios.find((s) => s.name === 'Pass hands the connection to NetworkPolicy, skipping the lower Admin Deny')!;
    scenarioSources(scenario).forEach((source, i) => writeFileSync(join(dir, `${i}-${source.name.replaceAll('/', '_')}`), source.text));
    const argv = ['explain', '-f', dir, '--from', 'y/a', '--to', 'x/a', '--port', '80'];
    const text = await Promise.all(['23.03', '25.03'].map((v) => nbgen(...argv, '--ovn-version', v)));
    const chainLine = (out: string) => out.split('\n').filter((l) => l.includes('decision chain:'));
    expect(chainLine(text[0]!.stdout)).toEqual([
      '  decision chain: Admin Pass by rule ingress/0/ip4 of ClusterNetworkPolicy/guard-x (to-lport) -> NetworkPolicy allow by rule ingress/0/ip4/all of x/a-from-y (to-lport)',
    ]);
    expect(chainLine(text[1]!.stdout)).toEqual(chainLine(text[0]!.stdout));
    const json = await Promise.all(['23.03', '25.03'].map(async (v) => JSON.parse((await nbgen(...argv, '--ovn-version', v, '-o', 'json')).stdout).paths[0].chain));
    expect(json[0]).toEqual(json[1]);
    expect(json[0].map((s: { action: string; tier: string }) => `${s.tier} ${s.action}`)).toEqual(['Admin pass', 'NetworkPolicy allow']);
  });
});
