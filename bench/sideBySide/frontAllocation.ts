/**
 * What the front allocates at the side-by-side inventory (issue 17): megabytes `loadModel` and
 * `compile` allocate, objects the collector already freed included, one process per build. Unlike
 * CPU time it does not depend on the machine's load, so it shows a change in garbage (a quarter or
 * more of the front's CPU goes to the garbage collector) on a busy machine.
 *
 *   npx tsx bench/sideBySide/frontAllocation.ts [small] [--baseline /path/to/core/dist]
 *
 * Needs `npm run build` (it runs packages/core/dist, not the sources).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sizeFromArgv } from './inProcess.js';
import { networkPolicyInventory } from './inventory.js';

const { values } = parseArgs({ options: { baseline: { type: 'string' } }, allowPositionals: true });
const builds: [string, string][] = [
  ['this', resolve(import.meta.dirname, '../../packages/core/dist')],
  ...(values.baseline === undefined ? [] : [['baseline', resolve(values.baseline)] as [string, string]]),
];
const size = sizeFromArgv();
const dir = mkdtempSync(join(tmpdir(), 'nbgen-alloc-'));
const inventory = join(dir, 'inventory.json');
writeFileSync(inventory, networkPolicyInventory(size));
try {
  console.log(`${size.namespaces} ns / ${size.pods} pods / ${size.policies} policies, MB allocated:`);
  for (const [name, dist] of builds) {
    const result = spawnSync(process.execPath, [join(import.meta.dirname, 'frontAllocationChild.mjs'), dist, inventory], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${name}: ${result.stderr}`);
    const { load, compile } = JSON.parse(result.stdout) as { load: number; compile: number };
    console.log(`  ${name.padEnd(8)} loadModel ${load}  compile ${compile}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
