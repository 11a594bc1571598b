// One cold process of frontPhases.ts: CPU milliseconds of reading one inventory file, loadModel and
// compile, with the @ovn-nbgen/core build in the directory given (a dist/ of this tree or another's).
// Plain JavaScript so that it runs another build without this tree's sources or loader.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [coreDist, inventoryFile] = process.argv.slice(2);
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const core = await import(pathToFileURL(`${coreDist}/index.js`).href);
const start = cpuMs();
const text = readFileSync(inventoryFile, 'utf8');
const read = cpuMs();
const { model } = core.loadModel([{ name: inventoryFile, text }]);
const loaded = cpuMs();
const { rows } = core.compile(model, { owner: 'nbgen', capabilities: core.capabilitiesForOvnVersion('23.03') });
const compiled = cpuMs();
const rowCount = Object.values(rows).reduce((sum, list) => sum + list.length, 0);
process.stdout.write(`${JSON.stringify({ read: read - start, load: loaded - read, compile: compiled - loaded, rows: rowCount })}\n`);
