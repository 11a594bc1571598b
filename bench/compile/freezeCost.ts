/**
 * What freezing loadModel's model all the way down costs, and whether compile reads a frozen model
 * slower: `node --import tsx bench/compile/freezeCost.ts [POLICIES] [PODS]` (default 10000 50000,
 * the compile benchmark's largest cluster, same seed). Per run: loadModel (which freezes), its
 * freeze (model/deepFreeze.ts) over an unfrozen copy of its model (structuredClone), and compile
 * of the frozen model and of an unfrozen copy; medians of 3 runs of CPU time. Figures: docs/speed-log.md (Loading the model).
 */
import { capabilitiesForOvnVersion, compile, kubeOvnPortName, loadModel, type CompileOptions, type Model } from '../../packages/core/src/index.js';
import { deepFreeze } from '../../packages/core/src/model/deepFreeze.js';
import { generateCluster } from './cluster.js';

const options: CompileOptions = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion('23.03'), portNameFor: kubeOvnPortName, alwaysAllowCidrs: ['100.64.0.0/16'], logging: {} };
const size = { policies: Number(process.argv[2] ?? 10000), pods: Number(process.argv[3] ?? 50000) };
const cluster = generateCluster(size, 20261123);
const cpu = (f: () => void) => { const c = process.cpuUsage(); const t = performance.now(); f(); const u = process.cpuUsage(c); return { wall: performance.now() - t, cpu: (u.user + u.system) / 1000 }; };
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load: number[] = [], freeze: number[] = [], compFrozen: number[] = [], compPlain: number[] = [];
let model!: Model;
for (let i = 0; i < 3; i++) {
  load.push(cpu(() => { model = loadModel([{ name: 'c.yaml', text: cluster.text }]).model; }).cpu);
  const plain = structuredClone(model) as Model;
  const again = structuredClone(model) as Model;
  freeze.push(cpu(() => deepFreeze(again)).cpu);
  compFrozen.push(cpu(() => compile(model, options)).cpu);
  compPlain.push(cpu(() => compile(plain, options)).cpu);
}
console.log(JSON.stringify({ size, loadCpuMs: med(load), deepFreezeCpuMs: med(freeze), freezeShareOfLoad: med(freeze) / med(load), compileFrozenCpuMs: med(compFrozen), compileUnfrozenCpuMs: med(compPlain), runs: { load, freeze, compFrozen, compPlain } }));
