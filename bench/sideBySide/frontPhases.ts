/**
 * The front of every compiling command at the side-by-side inventory (issue 17): reading the file,
 * `loadModel` (parse, validate, model) and `compile`, CPU time of each, each run a new process so
 * that the code runs cold as in a one-shot command. With `--baseline DIR` (another tree's
 * packages/core/dist, e.g. main's, copied) the two builds run alternated, so the ratio is measured
 * under the same load.
 *
 *   npx tsx bench/sideBySide/frontPhases.ts [small] [--runs 7] [--baseline /path/to/core/dist]
 *
 * Needs `npm run build` (it runs packages/core/dist, not the sources).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../stats.js';
import { sizeFromArgv } from './inProcess.js';
import { networkPolicyInventory } from './inventory.js';

interface Phases {
  readonly read: number;
  readonly load: number;
  readonly compile: number;
  readonly rows: number;
}

const { values } = parseArgs({ options: { runs: { type: 'string' }, baseline: { type: 'string' } }, allowPositionals: true });
const runs = Number(values.runs ?? 7);
const builds: [string, string][] = [
  ['this', resolve(import.meta.dirname, '../../packages/core/dist')],
  ...(values.baseline === undefined ? [] : [['baseline', resolve(values.baseline)] as [string, string]]),
];
const size = sizeFromArgv();
const dir = mkdtempSync(join(tmpdir(), 'nbgen-front-'));
const inventory = join(dir, 'inventory.json');
writeFileSync(inventory, networkPolicyInventory(size));
const child = join(import.meta.dirname, 'frontPhasesChild.mjs');
const measured = new Map<string, Phases[]>(builds.map(([name]) => [name, []]));
try {
  for (let run = 0; run < runs; run++) {
    for (const [name, dist] of builds) {
      const result = spawnSync(process.execPath, [child, dist, inventory], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`${name}: ${result.stderr}`);
      measured.get(name)!.push(JSON.parse(result.stdout) as Phases);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${size.namespaces} ns / ${size.pods} pods / ${size.policies} policies, ${runs} runs, CPU ms medians:`);
for (const [name, list] of measured) {
  const of = (phase: keyof Phases) => Math.round(median(list.map((p) => p[phase])));
  console.log(`  ${name.padEnd(8)} read ${of('read')}  loadModel ${of('load')}  compile ${of('compile')}  (${list[0]!.rows} rows)`);
}
