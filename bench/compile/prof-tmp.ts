import { capabilitiesForOvnVersion, compile, kubeOvnPortName, loadModel } from '@ovn-nbgen/core';
import { compileNetworkPolicies } from '../../packages/core/src/netpol/compile';
import { generateCluster } from './cluster';
const c = generateCluster({ policies: 10000, pods: 50000 }, 20261123);
const { model } = loadModel([{ name: 'c', text: c.text }]);
const opts = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion('23.03'), portNameFor: kubeOvnPortName, alwaysAllowCidrs: ['100.64.0.0/16'], logging: {} };
for (let i = 0; i < 4; i++) {
  (globalThis as any).gc();
  let t = performance.now(); let cpu = process.cpuUsage();
  compileNetworkPolicies(model, opts);
  const a = performance.now() - t; const ac = process.cpuUsage(cpu).user / 1000;
  (globalThis as any).gc();
  t = performance.now();
  compile(model, opts);
  console.log('netpol ms', a.toFixed(0), 'cpu', ac.toFixed(0), 'compile() ms', (performance.now() - t).toFixed(0));
}
