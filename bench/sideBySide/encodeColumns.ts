/**
 * The column encoding both writers share (`encodeColumnValues`, core/src/tables), alone: every row
 * of the sideBySide inventory encoded for OVN 23.03, eight passes in one process, CPU of each (the
 * first runs cold). The planner encodes each desired row this way; run it for two trees alternated
 * to compare a change to the table descriptors. Nothing is asserted on time.
 *
 *   npx tsx --conditions=@ovn-nbgen/source bench/sideBySide/encodeColumns.ts [small]
 *
 * small: 800 rows (20 ns / 2,000 pods / 200 policies); default 35,000 rows (200 / 50,000 / 10,000).
 */
import { capabilitiesForOvnVersion, compile, loadModel, type NbRow } from '@ovn-nbgen/core';
import { encodeColumnValues, nbTables, type TableDescriptor } from '@ovn-nbgen/core/script';
import { sizeFromArgv } from './inProcess.js';
import { networkPolicyInventory } from './inventory.js';

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const capabilities = capabilitiesForOvnVersion('23.03');
const { model } = loadModel([{ name: 'inventory.json', text: networkPolicyInventory(sizeFromArgv()) }]);
const rows = compile(model, { owner: 'nbgen', capabilities }).rows;
const tables = Object.values(nbTables) as TableDescriptor<NbRow>[];
const passes: number[] = [];
let columns = 0;
for (let pass = 0; pass < 8; pass++) {
  const start = cpu();
  columns = 0;
  for (const table of tables) for (const row of table.rowsOf(rows)) columns += Object.keys(encodeColumnValues(table, row, capabilities)).length;
  passes.push(cpu() - start);
}
const warm = passes.slice(4).sort((a, b) => a - b);
console.log(`encode ${columns} columns: passes ${passes.map((ms) => ms.toFixed(0)).join(' ')} ms CPU (first cold); median of the last 4 ${((warm[1]! + warm[2]!) / 2).toFixed(1)} ms`);
