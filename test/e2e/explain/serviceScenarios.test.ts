// explain on the Service field report suite (test/e2e/service, kube-ovn#5043): for every scenario,
// explain must give the verdict Kubernetes semantics promise for each probe (client → VIP:80,
// → pod:8000, → pod:80). The same expectations are checked against ovn-trace by
// test/e2e/service/service.ovn.test.ts, so explain, OVN and Kubernetes agree on all of them.
import { describe, expect, it } from 'vitest';
import { compile, explainFlow, kubeOvnPortName, loadModel } from '@ovn-nbgen/core';
import { e2eCompileOptions } from '../netpol/run.js';
import { SERVICE_PROBES, serviceCluster, serviceScenarios } from '../service/scenarios.js';

describe('explain on the Service field report scenarios', () => {
  for (const scenario of serviceScenarios) {
    it(scenario.name, () => {
      const { model } = loadModel([serviceCluster(), ...scenario.policies]);
      const options = e2eCompileOptions({ version: '23.03' });
      const { rows } = compile(model, options);
      const explained = Object.fromEntries(
        SERVICE_PROBES.map((probe) => {
          const to = 'vip' in probe.to ? probe.to.vip : probe.to.pod;
          const e = explainFlow({ inventory: model, rows }, { from: 'shop/client', to, port: probe.port, protocol: 'TCP' }, { portNameFor: kubeOvnPortName });
          return [probe.name, e.verdict === 'allow' ? 'allow' : 'drop'];
        }),
      );
      expect(explained).toEqual(scenario.expected);
    });
  }
});
