import { capabilitiesForOvnVersion, kubeOvnPortName, loadModel, sortNbRows } from '@ovn-nbgen/core';
import { compileNetworkPolicies } from '../../packages/core/src/netpol/compile';
import { generateCluster } from './cluster';
const c = generateCluster({ policies: 10000, pods: 50000 }, 20261123);
const { model } = loadModel([{ name: 'c', text: c.text }]);
const opts = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion('23.03'), portNameFor: kubeOvnPortName, alwaysAllowCidrs: ['100.64.0.0/16'], logging: {} };
const { rows } = compileNetworkPolicies(model, opts);
const shuffled = { ...rows, acls: [...rows.acls].reverse(), portGroups: [...rows.portGroups].reverse() };
for (let i = 0; i < 4; i++) {
  (globalThis as any).gc();
  let cpu = process.cpuUsage();
  sortNbRows(shuffled);
  const a = process.cpuUsage(cpu).user / 1000;
  cpu = process.cpuUsage();
  sortNbRows(rows);
  const b = process.cpuUsage(cpu).user / 1000;
  cpu = process.cpuUsage();
  compileNetworkPolicies(model, opts);
  const d = process.cpuUsage(cpu).user / 1000;
  console.log('sort unsorted cpu ms', a.toFixed(0), 'sort presorted', b.toFixed(0), 'netpol', d.toFixed(0));
}
