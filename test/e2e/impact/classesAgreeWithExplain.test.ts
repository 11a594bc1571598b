// impact and matrix judge one pair of pods per pair of classes. For every scenario of the
// NetworkPolicy and tier e2e suites, every flow impact judges is expanded back to every pod pair
// it stands for, and each must get explainFlow's verdict and deciding rule for that pair (explain being held equal
// to ovn-trace by test/e2e/explain). So a class that lumped together pods some policy tells
// apart fails here.
import { compile, explainFlow, kubeOvnPortName, loadModel, type ManifestSource } from '@ovn-nbgen/core';
import { classMatrix, decidingRuleText, expandClassMatrix, flowSpace, judgeFlowSpace, podClasses, reachabilityMatrix } from '@ovn-nbgen/core/explain';
import { describe, expect, it } from 'vitest';
import { netpolScenarios, scenarioSources as netpolSources } from '../netpol/scenarios.js';
import { compileOptionsFor, scenarioSources as tierSources } from '../tiers/run.js';
import { tierScenarios } from '../tiers/scenarios.js';

function expandedDisagreements(sources: readonly ManifestSource[]): string[] {
  const { model } = loadModel(sources);
  const { rows } = compile(model, compileOptionsFor({ version: '25.03' }));
  const space = flowSpace([model]);
  const classes = podClasses(model, space);
  const byKey = new Map(classes.map((c) => [c.key, c]));
  const flows = judgeFlowSpace({ inventory: model, rows }, classes, space, { portNameFor: kubeOvnPortName });
  const wrong: string[] = [];
  let checked = 0;
  for (const flow of flows) {
    const froms = flow.from.kind === 'pods' ? byKey.get(flow.from.key)!.pods.map((p) => `${p.namespace}/${p.name}`) : [flow.from.label];
    const tos = flow.to.kind === 'pods' ? byKey.get(flow.to.key)!.pods.map((p) => `${p.namespace}/${p.name}`) : [flow.to.label];
    for (const from of froms) {
      for (const to of tos) {
        if (from === to) continue;
        const e = explainFlow({ inventory: model, rows }, { from, to, port: flow.port, protocol: flow.protocol, family: flow.family }, { portNameFor: kubeOvnPortName });
        checked++;
        if (e.verdict !== flow.verdict) wrong.push(`${from} -> ${to} ${flow.protocol}/${flow.port} IPv${flow.family}: class ${flow.verdict}, explain ${e.verdict}`);
        // The deciding rule too (matrix and impact judge without explain's trail of rows).
        else if (decidingRuleText(e) !== flow.rule) wrong.push(`${from} -> ${to} ${flow.protocol}/${flow.port} IPv${flow.family}: class ${flow.rule}, explain ${decidingRuleText(e)}`);
      }
    }
  }
  expect(checked).toBeGreaterThan(0);
  return wrong;
}

describe('a class verdict is explain’s verdict for every pod pair it stands for', () => {
  for (const scenario of netpolScenarios) it(`NetworkPolicy: ${scenario.name}`, () => expect(expandedDisagreements(netpolSources(scenario))).toEqual([]));
  for (const scenario of tierScenarios) it(`tiers: ${scenario.name}`, () => expect(expandedDisagreements(tierSources(scenario))).toEqual([]));
});

describe('matrix per class, expanded to pods, is the per-pod matrix', () => {
  const probes = [{ protocol: 'TCP', port: 80 }, { protocol: 'UDP', port: 81 }, { protocol: 'ICMP', port: null }] as const;
  const same = (sources: readonly ManifestSource[]) => {
    const { model } = loadModel(sources);
    const { rows } = compile(model, compileOptionsFor({ version: '25.03' }));
    const options = { portNameFor: kubeOvnPortName };
    expect(expandClassMatrix(classMatrix({ inventory: model, rows }, probes, options))).toEqual(reachabilityMatrix({ inventory: model, rows }, probes, options));
  };
  for (const scenario of netpolScenarios) it(`NetworkPolicy: ${scenario.name}`, () => same(netpolSources(scenario)));
  for (const scenario of tierScenarios) it(`tiers: ${scenario.name}`, () => same(tierSources(scenario)));
});
