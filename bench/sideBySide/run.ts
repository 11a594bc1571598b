/**
 * Side by side (issue 17): the same NetworkPolicy inventory written into a fresh NB by
 *   - `nbgen apply` (the built bin: start, read the NB, compile, plan, one transaction),
 *   - the script `nbgen export` made of it (bash + ovn-nbctl; exported before timing),
 *   - ovsdbapp (Debian's python3-ovsdbapp, scripts/setup-ovsdbapp.sh installs it; bench/sideBySide/ovsdbappWrite.py; rows compiled before timing),
 *   - the floor: one raw JSON-RPC transact of the rows (floorTransact.mjs; prepared before timing),
 * then, on the NB apply wrote, a no-op `nbgen apply` and `nbgen diff`, and the read floor: one raw
 * JSON-RPC monitor_cond of what they read (floorRead.mjs; prepared before timing), so a no-op can be
 * held against "the compile time plus the time to read the owner's rows" (`export` + `read floor`,
 * less one `node -e 0`: both are whole commands, and one command starts node once). `owned read`
 * is the same read without the port names (less than a no-op can do with). `readFloorToFloor`
 * tells whether "apply within 1.5x the floor" and "a no-op under half the write" can hold at once
 * (only at 0.75 or below: docs/speed.md).
 * Whole commands, each on a
 * fresh NB holding the pods' logical switch ports, runs interleaved; medians of --runs (5) of wall
 * time and of CPU time (the command's, and the ovsdb-server's meanwhile: on a busy machine wall
 * time is mostly waiting for a core). The report is ratios measured in this run; nothing is
 * asserted on time. Results: a table on stdout,
 * JSON in bench/results/sideBySide.json.
 *
 *   npx tsx bench/sideBySide/run.ts [--sizes 728,3600,37000] [--runs 5] [--without ovsdbapp,script] [--baseline BIN]
 *
 * --baseline: another build's bin (e.g. main's, copied with its bundle/ and package.json) whose
 * apply, no-op apply and no-op diff are timed in the same runs, so a change shows as a ratio
 * measured under the same load (`baseline ÷ this`).
 *
 * Sizes are named by the issue's row counts: 728 = 20 ns / 2,000 pods / 200 policies,
 * 3600 = 100 / 10,000 / 1,000, 37000 = 200 / 50,000 / 10,000. At 37000 the script and ovsdbapp
 * take minutes per run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compile, DEFAULT_OWNER, kubeOvnPortName, loadModel, type NbRows } from '@ovn-nbgen/core';
import { capabilitiesFromSchema, OvsdbClient, Reconciler, type MonitorTableRequest } from '@ovn-nbgen/ovsdb';
import { monitorRequests, planMonitor } from '@ovn-nbgen/ovsdb/cache';
import { buildTransaction, stateMonitorTables } from '@ovn-nbgen/ovsdb/reconcile';
import { startStandaloneNb, stopAllOvsdbServers, type StandaloneNb } from '../../test/harness/ovsdbServer.js';
import { networkPolicyInventory, podPortNames, type InventorySize } from './inventory.js';
import { median } from '../stats.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const bin = join(repoRoot, 'packages/cli/bin/nbgen.js');
const here = import.meta.dirname;

const SIZES: Readonly<Record<string, InventorySize>> = {
  '728': { namespaces: 20, pods: 2_000, policies: 200 },
  '3600': { namespaces: 100, pods: 10_000, policies: 1_000 },
  '37000': { namespaces: 200, pods: 50_000, policies: 10_000 },
};

type Writer = 'apply' | 'script' | 'ovsdbapp' | 'floor' | 'baseline';
type Measured = Exclude<Writer, 'baseline'> | 'noop apply' | 'noop diff' | 'read floor' | 'owned read' | 'node start' | 'export' | 'baseline apply' | 'baseline noop apply' | 'baseline noop diff';

interface Sample {
  readonly wallMs: number;
  /** CPU (user + system) of the command and its children. */
  readonly cpuMs: number;
  /** CPU the ovsdb-server spent meanwhile: with cpuMs, the whole cost, however busy the machine. */
  readonly serverCpuMs: number;
}

const round = (x: number, digits = 0): number => Number(x.toFixed(digits));

/** CPU of the children this process has waited for (/proc/self/stat cutime + cstime, 10 ms ticks). */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** CPU (user + system) a running process has used so far (/proc/PID/stat utime + stime). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function timeCommand(nb: StandaloneNb, file: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Sample {
  const serverBefore = processCpuMs(nb.pid!);
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 256 << 20,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { wallMs, cpuMs: childrenCpuMs() - cpuBefore, serverCpuMs: processCpuMs(nb.pid!) - serverBefore };
}

async function connect(remote: string): Promise<OvsdbClient> {
  return OvsdbClient.connect({ remote, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
}

/** A fresh NB holding one logical switch with every pod's port (one transaction, not timed). */
async function freshNb(ports: readonly string[]): Promise<StandaloneNb> {
  const nb = await startStandaloneNb();
  const client = await connect(nb.remotes.unix!);
  const txn = client.transaction();
  const sw = txn.insert('Logical_Switch', { name: 'pods' });
  txn.insertChildren('Logical_Switch_Port', ports.map((name) => ({ name })), { parent: { table: 'Logical_Switch', uuidName: sw }, column: 'ports' });
  await client.transact(txn);
  await client.close();
  return nb;
}

/** The rows nbgen compiles for this NB's schema, as apply does (default owner and port names). */
function compileRows(inventory: string, capabilities: Reconciler['capabilities']): NbRows {
  const { model } = loadModel([{ name: 'inventory.json', text: inventory }]);
  return compile(model, { owner: DEFAULT_OWNER, capabilities, portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} }).rows;
}

/** The params of the one transact that writes `rows` into this NB (what apply would send). */
async function floorParams(nb: StandaloneNb, inventory: string): Promise<string> {
  const client = await connect(nb.remotes.unix!);
  try {
    const reconciler = await Reconciler.start(client, { owner: DEFAULT_OWNER });
    const plan = reconciler.plan(compileRows(inventory, reconciler.capabilities));
    const txn = client.transaction({ validate: false });
    buildTransaction(plan, txn);
    await reconciler.close();
    return JSON.stringify(['OVN_Northbound', ...txn.operations]);
  } finally {
    await client.close();
  }
}

/**
 * The params of the one monitor_cond that reads what nbgen's reconciler monitors for the default
 * owner. `ownedOnly`: just the owner's own rows (its ACLs, Port_Groups and Address_Sets, columns
 * as the reconciler reads them), without the names of the ports and other rows they refer to:
 * less than any no-op can read (a Port_Group's ports are uuids, the compiled rows name them), kept
 * to show what the names cost.
 */
function readFloorParams(client: OvsdbClient, ownedOnly = false): string {
  const monitored = stateMonitorTables(DEFAULT_OWNER, capabilitiesFromSchema(client.schema));
  // The ACL request is the owner's rows (ACL has no unique name); its condition serves the others.
  const owner = (monitored.ACL as MonitorTableRequest).where;
  const tables = ownedOnly
    ? Object.fromEntries(
        (['ACL', 'Port_Group', 'Address_Set'] as const).map((table) => {
          const request = monitored[table]!;
          return [table, { columns: Array.isArray(request) ? request : (request as MonitorTableRequest).columns, where: owner }];
        }),
      )
    : monitored;
  return JSON.stringify(['OVN_Northbound', 'floor', monitorRequests(client.schema, planMonitor(client.schema, { tables }), 'monitor_cond')]);
}

/** Rows per table in the NB: every writer must leave the same counts. */
async function ownedCounts(nb: StandaloneNb): Promise<string> {
  const client = await connect(nb.remotes.unix!);
  try {
    const txn = client.transaction();
    for (const table of ['Address_Set', 'Port_Group', 'ACL'] as const) txn.select(table, [], ['_uuid']);
    const { results } = await client.transact(txn);
    return ['Address_Set', 'Port_Group', 'ACL'].map((table, i) => `${table} ${(results[i] as { rows?: readonly unknown[] } | undefined)?.rows?.length ?? '?'}`).join(', ');
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: Object.keys(SIZES).join(',') },
      runs: { type: 'string', default: '5' },
      without: { type: 'string', default: '' },
      baseline: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const without = new Set(values.without.split(',').filter(Boolean));
  const baseline = values.baseline === undefined ? undefined : resolve(values.baseline);
  const writers = ([...(baseline ? ['baseline' as const] : []), 'apply', 'script', 'ovsdbapp', 'floor'] as const).filter((w) => !without.has(w));
  const results: object[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'nbgen-side-'));
  try {
    for (const label of values.sizes.split(',')) {
      const size = SIZES[label];
      if (!size) throw new Error(`--sizes: unknown size ${label} (one of ${Object.keys(SIZES).join(', ')})`);
      const dir = join(scratch, label);
      mkdirSync(dir);
      const inventory = networkPolicyInventory(size);
      const ports = podPortNames(size);
      const inventoryFile = join(dir, 'inventory.json');
      writeFileSync(inventoryFile, inventory);

      // Made before timing: the script, the rows ovsdbapp writes, and the row count.
      const scriptFile = join(dir, 'nb.sh');
      const exported = spawnSync(process.execPath, [bin, 'export', '-f', inventoryFile], { cwd: repoRoot, maxBuffer: 1 << 30 });
      if (exported.status !== 0) throw new Error(`nbgen export: ${exported.stderr}`);
      writeFileSync(scriptFile, exported.stdout);
      const rowsFile = join(dir, 'rows.json');
      const readParamsFile = join(dir, 'read.json');
      const ownedReadParamsFile = join(dir, 'read-owned.json');
      {
        const nb = await freshNb(ports);
        const client = await connect(nb.remotes.unix!);
        const capabilities = capabilitiesFromSchema(client.schema);
        writeFileSync(readParamsFile, readFloorParams(client));
        writeFileSync(ownedReadParamsFile, readFloorParams(client, true));
        await client.close();
        await nb.stop();
        writeFileSync(rowsFile, JSON.stringify(compileRows(inventory, capabilities)));
      }
      const rows = JSON.parse(readFileSync(rowsFile, 'utf8')) as NbRows;
      const rowCount = rows.portGroups.length + rows.addressSets.length + rows.acls.length;
      console.log(`== ${label}: ${size.namespaces} ns / ${size.pods} pods / ${size.policies} policies = ${rowCount} rows (${rows.portGroups.length} Port_Group, ${rows.addressSets.length} Address_Set, ${rows.acls.length} ACL)`);

      const samples = new Map<Measured, Sample[]>();
      const add = (name: Measured, s: Sample) => samples.set(name, [...(samples.get(name) ?? []), s]);
      const counts = new Map<Writer, string>();
      for (let run = 0; run < runs; run++) {
        {
          const start = process.hrtime.bigint();
          const cpuBefore = childrenCpuMs();
          const result = spawnSync(process.execPath, [bin, 'export', '-f', inventoryFile], { cwd: repoRoot, stdio: 'ignore' });
          if (result.status !== 0) throw new Error(`nbgen export exited ${result.status}`);
          add('export', { wallMs: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: childrenCpuMs() - cpuBefore, serverCpuMs: 0 });
        }
        {
          const start = process.hrtime.bigint();
          const cpuBefore = childrenCpuMs();
          const result = spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
          if (result.status !== 0) throw new Error(`node -e 0 exited ${result.status}`);
          add('node start', { wallMs: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: childrenCpuMs() - cpuBefore, serverCpuMs: 0 });
        }
        for (const writer of writers) {
          const nb = await freshNb(ports);
          const remote = nb.remotes.unix!;
          const socket = remote.slice('unix:'.length);
          try {
            if (writer === 'baseline') {
              add('baseline apply', timeCommand(nb, process.execPath, [baseline!, 'apply', '-f', inventoryFile, '--db', remote]));
              add('baseline noop apply', timeCommand(nb, process.execPath, [baseline!, 'apply', '-f', inventoryFile, '--db', remote]));
              add('baseline noop diff', timeCommand(nb, process.execPath, [baseline!, 'diff', '-f', inventoryFile, '--db', remote]));
            } else if (writer === 'apply') {
              add('apply', timeCommand(nb, process.execPath, [bin, 'apply', '-f', inventoryFile, '--db', remote]));
              add('noop apply', timeCommand(nb, process.execPath, [bin, 'apply', '-f', inventoryFile, '--db', remote]));
              add('noop diff', timeCommand(nb, process.execPath, [bin, 'diff', '-f', inventoryFile, '--db', remote]));
              add('read floor', timeCommand(nb, process.execPath, [join(here, 'floorRead.mjs'), socket, readParamsFile]));
              add('owned read', timeCommand(nb, process.execPath, [join(here, 'floorRead.mjs'), socket, ownedReadParamsFile]));
            } else if (writer === 'script') {
              add('script', timeCommand(nb, 'bash', [scriptFile], { OVN_NB_DB: remote }));
            } else if (writer === 'ovsdbapp') {
              add('ovsdbapp', timeCommand(nb, '/usr/bin/python3', [join(here, 'ovsdbappWrite.py'), remote, rowsFile]));
            } else {
              const paramsFile = join(dir, 'floor.json');
              writeFileSync(paramsFile, await floorParams(nb, inventory));
              add('floor', timeCommand(nb, process.execPath, [join(here, 'floorTransact.mjs'), socket, paramsFile]));
            }
            if (run === 0) counts.set(writer, await ownedCounts(nb));
          } finally {
            await nb.stop();
          }
        }
        process.stdout.write(`   run ${run + 1}/${runs} done\n`);
      }
      const wall = (name: Measured) => median(samples.get(name)!.map((s) => s.wallMs));
      const cpu = (name: Measured) => median(samples.get(name)!.map((s) => s.cpuMs));
      const serverCpu = (name: Measured) => median(samples.get(name)!.map((s) => s.serverCpuMs));
      const totalCpu = (name: Measured) => median(samples.get(name)!.map((s) => s.cpuMs + s.serverCpuMs));
      const measured = [...samples.keys()];
      // Every ratio twice: of wall time, and of CPU time of command and ovsdb-server together.
      const ratiosOf = (of: (m: Measured) => number) => {
        const ratio = (a: Measured, b: Measured) => (samples.has(a) && samples.has(b) ? round(of(a) / of(b), 2) : null);
        // The issue's no-op target: at most the compile time plus the time to read the owner's
        // rows, as one command would (export and the read floor each start node; a no-op once).
        const toCompilePlusRead = (a: Measured) =>
          samples.has(a) && samples.has('export') && samples.has('read floor') ? round(of(a) / (of('export') + of('read floor') - of('node start')), 2) : null;
        return {
          applyToScript: ratio('apply', 'script'),
          applyToOvsdbapp: ratio('apply', 'ovsdbapp'),
          applyToFloor: ratio('apply', 'floor'),
          noopApplyToApply: ratio('noop apply', 'apply'),
          noopDiffToApply: ratio('noop diff', 'apply'),
          noopApplyToExportPlusReadFloor: toCompilePlusRead('noop apply'),
          noopDiffToExportPlusReadFloor: toCompilePlusRead('noop diff'),
          // Whether the two 37,000-row targets can hold at once: a no-op reads at least the read
          // floor, and "apply within 1.5x the floor" with "a no-op under half the apply" needs
          // the no-op under 0.75x the floor. Above 0.75 here, no client meets both on this server.
          readFloorToFloor: ratio('read floor', 'floor'),
          ownedReadToFloor: ratio('owned read', 'floor'),
          baselineApplyToApply: ratio('baseline apply', 'apply'),
          baselineNoopApplyToNoopApply: ratio('baseline noop apply', 'noop apply'),
          baselineNoopDiffToNoopDiff: ratio('baseline noop diff', 'noop diff'),
        };
      };
      const result = {
        size: label,
        ...size,
        rows: rowCount,
        medianWallMs: Object.fromEntries(measured.map((m) => [m, round(wall(m))])),
        medianCpuMs: Object.fromEntries(measured.map((m) => [m, round(cpu(m))])),
        medianServerCpuMs: Object.fromEntries(measured.map((m) => [m, round(serverCpu(m))])),
        medianTotalCpuMs: Object.fromEntries(measured.map((m) => [m, round(totalCpu(m))])),
        ratios: ratiosOf(wall),
        /** The same ratios in CPU time of command and ovsdb-server together. */
        cpuRatios: ratiosOf(totalCpu),
        rowsAfterWrite: Object.fromEntries(counts),
        runsWallMs: Object.fromEntries(measured.map((m) => [m, samples.get(m)!.map((s) => round(s.wallMs))])),
      };
      results.push(result);
      console.log(`   ${'command'.padEnd(12)} ${'wall'.padStart(10)} ${'CPU'.padStart(10)} ${'server CPU'.padStart(11)}`);
      for (const m of measured) {
        console.log(`   ${m.padEnd(12)} ${`${round(wall(m))} ms`.padStart(10)} ${`${round(cpu(m))} ms`.padStart(10)} ${`${round(serverCpu(m))} ms`.padStart(11)}`);
      }
      console.log(`   ratios (wall): ${JSON.stringify(result.ratios)}`);
      console.log(`   ratios (CPU of command + server): ${JSON.stringify(result.cpuRatios)}`);
      console.log(`   rows after each write: ${JSON.stringify(result.rowsAfterWrite)}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await stopAllOvsdbServers();
  }
  mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench/results/sideBySide.json'), `${JSON.stringify({ node: process.version, runs, results }, null, 2)}\n`);
}

await main();
