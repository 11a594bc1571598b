/**
 * Does ovsdb-server parse a transact while its bytes still arrive? (issue 17, helper tx4)
 * Writes the 37,000-row inventory's one transact (the floor's params) to fresh NBs, alternately
 *   - whole:   one socket write of the whole message, timed from the write to the reply;
 *   - spaced:  64 KB chunks spread over SPREAD ms (about what apply takes to build the
 *              transaction), timed from the last chunk's write to the reply (the "tail").
 * If the server parses as bytes arrive, tail < whole by the parsing it did meanwhile.
 * With --commit: the real thing, alternated on fresh NBs from the same plan: build the transaction
 * then `transact` it (one write), against `transactAsBuilt` (written while built, commitPlan's
 * path); timed from the start of the build to the reply, with the server's CPU.
 *   npx tsx --conditions=@ovn-nbgen/source bench/sideBySide/overlapProbe.ts [--runs 3] [--spread 600] [--commit]
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { compile, DEFAULT_OWNER, kubeOvnPortName, loadModel } from '@ovn-nbgen/core';
import { OvsdbClient, Reconciler } from '@ovn-nbgen/ovsdb';
import { buildTransaction, type ReconcilePlan } from '@ovn-nbgen/ovsdb/reconcile';
import { buildSteps } from '../../packages/ovsdb/src/reconcile/transaction.js';
import { startStandaloneNb, type StandaloneNb } from '../../test/harness/ovsdbServer.js';
import { networkPolicyInventory, podPortNames } from './inventory.js';
import { median } from '../stats.js';

const SIZE = { namespaces: 200, pods: 50_000, policies: 10_000 };
const CHUNK = 64 * 1024;

function serverCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function freshNb(ports: readonly string[]): Promise<StandaloneNb> {
  const nb = await startStandaloneNb();
  const client = await OvsdbClient.connect({ remote: nb.remotes.unix!, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
  const txn = client.transaction();
  const sw = txn.insert('Logical_Switch', { name: 'pods' });
  txn.insertChildren('Logical_Switch_Port', ports.map((name) => ({ name })), { parent: { table: 'Logical_Switch', uuidName: sw }, column: 'ports' });
  await client.transact(txn);
  await client.close();
  return nb;
}

async function transactText(nb: StandaloneNb, inventory: string): Promise<string> {
  const client = await OvsdbClient.connect({ remote: nb.remotes.unix!, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
  try {
    const reconciler = await Reconciler.start(client, { owner: DEFAULT_OWNER });
    const { model } = loadModel([{ name: 'inventory.json', text: inventory }]);
    const rows = compile(model, { owner: DEFAULT_OWNER, capabilities: reconciler.capabilities, portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} }).rows;
    const txn = client.transaction({ validate: false });
    buildTransaction(reconciler.plan(rows), txn);
    await reconciler.close();
    return JSON.stringify({ method: 'transact', params: ['OVN_Northbound', ...txn.operations], id: 1 });
  } finally {
    await client.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const flushed = (socket: Socket, data: string) => new Promise<void>((resolve) => (socket.write(data) ? resolve() : socket.once('drain', resolve)));

/** Sends `text` (whole or spaced out) and resolves with ms from the last byte written to the reply. */
async function send(socketPath: string, text: string, spreadMs: number): Promise<{ tailMs: number; totalMs: number }> {
  const socket = connect(socketPath);
  await new Promise((resolve) => socket.once('connect', resolve));
  const chunks: Buffer[] = [];
  const reply = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      try {
        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (parsed.error ?? parsed.result.find((r: { error?: unknown } | null) => r?.error)) reject(new Error('transact failed'));
        resolve();
      } catch (error) {
        if (!(error instanceof SyntaxError)) reject(error);
      }
    });
  });
  const start = performance.now();
  let lastWrite: number;
  if (spreadMs === 0) {
    lastWrite = performance.now();
    socket.write(text);
  } else {
    const count = Math.ceil(text.length / CHUNK);
    for (let i = 0; i < count; i++) {
      await flushed(socket, text.slice(i * CHUNK, (i + 1) * CHUNK));
      if (i < count - 1) await sleep(spreadMs / count);
    }
    lastWrite = performance.now();
  }
  await reply;
  const end = performance.now();
  socket.destroy();
  return { tailMs: end - lastWrite, totalMs: end - start };
}

async function planOf(nb: StandaloneNb, inventory: string): Promise<ReconcilePlan> {
  const client = await OvsdbClient.connect({ remote: nb.remotes.unix!, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
  try {
    const reconciler = await Reconciler.start(client, { owner: DEFAULT_OWNER });
    const { model } = loadModel([{ name: 'inventory.json', text: inventory }]);
    const rows = compile(model, { owner: DEFAULT_OWNER, capabilities: reconciler.capabilities, portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} }).rows;
    const plan = reconciler.plan(rows);
    await reconciler.close();
    return plan;
  } finally {
    await client.close();
  }
}

async function commitRuns(runs: number): Promise<void> {
  const inventory = networkPolicyInventory(SIZE);
  const ports = podPortNames(SIZE);
  let plan: ReconcilePlan | undefined;
  const samples: Record<'oneWrite' | 'asBuilt', { ms: number; cpuMs: number; serverCpuMs: number }[]> = { oneWrite: [], asBuilt: [] };
  for (let run = 0; run < runs; run++) {
    for (const mode of (run % 2 === 0 ? ['oneWrite', 'asBuilt'] : ['asBuilt', 'oneWrite']) as ('oneWrite' | 'asBuilt')[]) {
      const nb = await freshNb(ports);
      try {
        plan ??= await planOf(nb, inventory);
        const client = await OvsdbClient.connect({ remote: nb.remotes.unix!, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
        const cpuBefore = serverCpuMs(nb.pid!);
        const start = performance.now();
        const cpuStart = process.cpuUsage();
        const txn = client.transaction({ validate: false });
        if (mode === 'oneWrite') {
          buildTransaction(plan, txn);
          await client.transact(txn);
        } else {
          await client.transactAsBuilt(txn, buildSteps(plan, txn));
        }
        const ms = performance.now() - start;
        const cpu = process.cpuUsage(cpuStart);
        samples[mode].push({ ms, cpuMs: (cpu.user + cpu.system) / 1000, serverCpuMs: serverCpuMs(nb.pid!) - cpuBefore });
        console.log(`run ${run + 1} ${mode}: build + commit ${ms.toFixed(0)} ms, CPU ${samples[mode].at(-1)!.cpuMs.toFixed(0)} ms, server CPU ${samples[mode].at(-1)!.serverCpuMs} ms`);
        await client.close();
      } finally {
        await nb.stop();
      }
    }
  }
  const m = (mode: 'oneWrite' | 'asBuilt', key: 'ms' | 'cpuMs' | 'serverCpuMs') => Math.round(median(samples[mode].map((s) => s[key])));
  const of = (mode: 'oneWrite' | 'asBuilt') => ({ ms: m(mode, 'ms'), cpuMs: m(mode, 'cpuMs'), serverCpuMs: m(mode, 'serverCpuMs') });
  console.log(JSON.stringify({ oneWrite: of('oneWrite'), asBuilt: of('asBuilt'), savedMs: m('oneWrite', 'ms') - m('asBuilt', 'ms') }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, spread: { type: 'string', default: '600' }, commit: { type: 'boolean' } } });
  if (values.commit) return commitRuns(Number(values.runs));
  const inventory = networkPolicyInventory(SIZE);
  const ports = podPortNames(SIZE);
  const spread = Number(values.spread);
  let text: string | undefined;
  const samples: Record<'whole' | 'spaced', { tailMs: number; totalMs: number; serverCpuMs: number }[]> = { whole: [], spaced: [] };
  for (let run = 0; run < Number(values.runs); run++) {
    for (const mode of ['whole', 'spaced'] as const) {
      const nb = await freshNb(ports);
      try {
        text ??= await transactText(nb, inventory);
        const cpuBefore = serverCpuMs(nb.pid!);
        const timed = await send(nb.remotes.unix!.slice('unix:'.length), text, mode === 'whole' ? 0 : spread);
        samples[mode].push({ ...timed, serverCpuMs: serverCpuMs(nb.pid!) - cpuBefore });
        console.log(`run ${run + 1} ${mode}: last byte -> reply ${timed.tailMs.toFixed(0)} ms, total ${timed.totalMs.toFixed(0)} ms, server CPU ${samples[mode].at(-1)!.serverCpuMs} ms`);
      } finally {
        await nb.stop();
      }
    }
  }
  const m = (mode: 'whole' | 'spaced', key: 'tailMs' | 'totalMs' | 'serverCpuMs') => Math.round(median(samples[mode].map((s) => s[key])));
  console.log(JSON.stringify({
    bytes: text!.length, spreadMs: spread,
    whole: { tailMs: m('whole', 'tailMs'), serverCpuMs: m('whole', 'serverCpuMs') },
    spaced: { tailMs: m('spaced', 'tailMs'), totalMs: m('spaced', 'totalMs'), serverCpuMs: m('spaced', 'serverCpuMs') },
    overlapMs: m('whole', 'tailMs') - m('spaced', 'tailMs'),
  }));
}

await main();
process.exit(0);
