// One process of frontAllocation.ts: megabytes `loadModel` and `compile` allocate on one inventory
// file with the @ovn-nbgen/core build in the directory given, collected objects included (V8's
// sampling heap profiler, one sample per KiB). Plain JavaScript so that it runs another build.
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';

const [coreDist, inventoryFile] = process.argv.slice(2);
const core = await import(pathToFileURL(`${coreDist}/index.js`).href);
const text = readFileSync(inventoryFile, 'utf8');
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
const sampling = { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true };
const megabytes = ({ profile }) => {
  let bytes = 0;
  const add = (node) => {
    bytes += node.selfSize;
    node.children.forEach(add);
  };
  add(profile.head);
  return Math.round(bytes / 1e6);
};
await session.post('HeapProfiler.startSampling', sampling);
const { model } = core.loadModel([{ name: inventoryFile, text }]);
const load = megabytes(await session.post('HeapProfiler.stopSampling'));
await session.post('HeapProfiler.startSampling', sampling);
core.compile(model, { owner: 'nbgen', capabilities: core.capabilitiesForOvnVersion('23.03') });
const compile = megabytes(await session.post('HeapProfiler.stopSampling'));
process.stdout.write(`${JSON.stringify({ load, compile })}\n`);
