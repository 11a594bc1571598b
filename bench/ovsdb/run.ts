/**
 * `npx tsx bench/ovsdb/run.ts [--acls 50000] [--batch 1000] [--monitor-rows 100000] [--repeat 3]`
 *
 * Against a real ovsdb-server (standalone, unix socket, fresh database per write run) and in one
 * run, side by side:
 *   - ours: OvsdbClient (builder + validation + session + result parsing / monitor cache);
 *   - raw: bench/ovsdb/rawClient.ts sending the same JSON (the floor any client pays);
 *   - ovn-nbctl: equivalent commands (daemon mode, one invocation per 1k-ACL batch).
 * Workloads: insert N ACLs referenced from port groups in ONE transaction and in batches; load
 * a monitor of M rows. Each measurement runs in its own child process so maxRSS is its own.
 * Reports our overhead ratio vs raw (target <= 1.25x). Results: bench/results/ovsdb.json.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStandaloneNb, type StandaloneNb } from '../../test/harness/ovsdbServer.js';
import { RawOvsdbClient } from './rawClient.js';
import { DATABASE, aclRow, addGroupsRaw, addGroupsWithBuilder, pgName } from './workload.js';

const execFileAsync = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const ACLS_PER_GROUP = 1000;

type Scenario = 'insert-one-txn' | 'insert-batched' | 'monitor';
type Variant = 'ours' | 'raw';

interface Measurement {
  readonly ms: number;
  /** Client CPU (user + system) over the same window: less noisy than wall time on a shared box. */
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly rows: number;
}

interface Options {
  readonly acls: number;
  readonly batch: number;
  readonly monitorRows: number;
  readonly repeat: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string, fallback: number) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  return {
    acls: value('--acls', 50_000),
    batch: value('--batch', 1000),
    monitorRows: value('--monitor-rows', 100_000),
    repeat: value('--repeat', 3),
  };
}

// ------------------------------------------------------------------ child: one measurement

async function child(variant: Variant, scenario: Scenario, socketPath: string, options: Options): Promise<Measurement> {
  const groups = Math.ceil(options.acls / ACLS_PER_GROUP);
  const groupsPerBatch = Math.max(1, Math.round(options.batch / ACLS_PER_GROUP));
  if (variant === 'ours') {
    // Loaded only here: the raw baseline process carries none of our code.
    const { OvsdbClient } = await import('@ovn-nbgen/ovsdb');
    const client = await OvsdbClient.connect({
      remote: `unix:${socketPath}`,
      session: { probeIntervalMs: 0, requestTimeoutMs: 600_000 },
    });
    const start = performance.now();
    const cpu = process.cpuUsage();
    let rows = 0;
    if (scenario === 'monitor') {
      const cache = await client.monitor({
        tables: { ACL: true, Port_Group: true },
        indexes: { ACL: [{ name: 'owner', externalIdKey: 'nbgen/owner' }] },
        timeoutMs: 600_000,
      });
      rows = cache.size('ACL') + cache.size('Port_Group');
    } else {
      const step = scenario === 'insert-one-txn' ? groups : groupsPerBatch;
      for (let g = 0; g < groups; g += step) {
        const txn = client.transaction();
        addGroupsWithBuilder(txn, g, Math.min(step, groups - g), ACLS_PER_GROUP);
        const result = await client.transact(txn);
        rows += result.results.length;
      }
    }
    const ms = performance.now() - start;
    const cpuMs = cpuSince(cpu);
    await client.close();
    return { ms, cpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024, rows };
  }
  const raw = await RawOvsdbClient.connect(socketPath);
  const start = performance.now();
  const cpu = process.cpuUsage();
  let rows = 0;
  if (scenario === 'monitor') {
    const reply = (await raw.request('monitor_cond_since', [
      DATABASE,
      'bench',
      { ACL: [{}], Port_Group: [{}] },
      '00000000-0000-0000-0000-000000000000',
    ])) as [boolean, string, Record<string, object>];
    rows = Object.values(reply[2]).reduce((n, t) => n + Object.keys(t).length, 0);
  } else {
    const step = scenario === 'insert-one-txn' ? groups : groupsPerBatch;
    for (let g = 0; g < groups; g += step) {
      const ops: unknown[] = [DATABASE];
      addGroupsRaw(ops, g, Math.min(step, groups - g), ACLS_PER_GROUP);
      const result = (await raw.request('transact', ops)) as unknown[];
      const failed = result.find((r) => r !== null && typeof r === 'object' && 'error' in r);
      if (failed) throw new Error(`raw transact failed: ${JSON.stringify(failed)}`);
      rows += result.length;
    }
  }
  const ms = performance.now() - start;
  const cpuMs = cpuSince(cpu);
  raw.close();
  return { ms, cpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024, rows };
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

// ------------------------------------------------------------------ parent

function runChild(variant: Variant, scenario: Scenario, nb: StandaloneNb, options: Options): Promise<Measurement> {
  const socketPath = (nb.remotes.unix as string).slice('unix:'.length);
  const args = ['--import', 'tsx', join(ROOT, 'bench/ovsdb/run.ts'), '--child', variant, scenario, socketPath, JSON.stringify(options)];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${variant} ${scenario} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() as string) as Measurement);
    });
  });
}

async function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; maxRssMb: number }> {
  const start = performance.now();
  const { stderr } = await execFileAsync('/usr/bin/time', ['-f', 'MAXRSS %M', command, ...args], {
    env,
    maxBuffer: 1 << 30,
  });
  const rss = /MAXRSS (\d+)/.exec(stderr);
  return { ms: performance.now() - start, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

/** ovn-nbctl daemon mode: one replica kept in memory, commands sent over its control socket. */
async function nbctlBatched(nb: StandaloneNb, options: Options, budgetMs: number) {
  const remote = nb.remotes.unix as string;
  const pidfile = join(nb.dir, 'nbctl.pid');
  const control = join(nb.dir, 'nbctl.ctl');
  await execFileAsync('ovn-nbctl', [
    `--db=${remote}`,
    '--no-leader-only',
    `--pidfile=${pidfile}`,
    `--unixctl=${control}`,
    '--detach',
    `--log-file=${join(nb.dir, 'nbctl.log')}`,
  ]);
  const env = { ...process.env, OVN_NB_DAEMON: control };
  const groups = Math.ceil(options.acls / ACLS_PER_GROUP);
  let done = 0;
  let ms = 0;
  let daemonRssMb = NaN;
  try {
    for (let g = 0; g < groups && ms < budgetMs; g++) {
      const args = ['pg-add', pgName(g)];
      for (let i = 0; i < ACLS_PER_GROUP; i++) {
        const row = aclRow(g, i) as { direction: string; priority: number; match: string; action: string };
        args.push('--', 'acl-add', pgName(g), row.direction, String(row.priority), row.match, row.action);
      }
      ms += (await timed('ovn-nbctl', args, env)).ms;
      done++;
    }
  } finally {
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    if (pid > 0) {
      // The daemon's peak RSS (VmHWM) is the memory ovn-nbctl needed for its replica.
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) daemonRssMb = Number(hwm[1]) / 1024;
      process.kill(pid, 'SIGTERM');
    }
  }
  const extrapolated = done < groups;
  return { ms: extrapolated ? (ms / done) * groups : ms, maxRssMb: daemonRssMb, measuredBatches: done, totalBatches: groups, extrapolated };
}

/** Writes `rows` ACLs (in 1k groups) with the raw client: setup for the monitor scenario. */
async function populate(nb: StandaloneNb, rows: number): Promise<void> {
  const raw = await RawOvsdbClient.connect((nb.remotes.unix as string).slice('unix:'.length));
  const groups = Math.ceil(rows / ACLS_PER_GROUP);
  for (let g = 0; g < groups; g += 5) {
    const ops: unknown[] = [DATABASE];
    addGroupsRaw(ops, g, Math.min(5, groups - g), ACLS_PER_GROUP);
    await raw.request('transact', ops);
  }
  raw.close();
}

interface Row {
  scenario: string;
  rows: number;
  oursMs: number;
  rawMs: number;
  ratio: number;
  oursCpuMs: number;
  rawCpuMs: number;
  oursRssMb: number;
  rawRssMb: number;
  nbctlMs: number | null;
  nbctlRssMb: number | null;
  note: string;
}

function best(ms: Measurement[]): Measurement {
  return ms.reduce((a, b) => (b.ms < a.ms ? b : a));
}

async function measureWrite(scenario: Scenario, options: Options): Promise<{ ours: Measurement; raw: Measurement }> {
  const results: Record<Variant, Measurement[]> = { ours: [], raw: [] };
  for (let r = 0; r < options.repeat; r++) {
    for (const variant of ['raw', 'ours'] as const) {
      const nb = await startStandaloneNb();
      try {
        results[variant].push(await runChild(variant, scenario, nb, options));
      } finally {
        await nb.stop();
      }
    }
  }
  return { ours: best(results.ours), raw: best(results.raw) };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const table: Row[] = [];
  const row = (scenario: string, rows: number, pair: { ours: Measurement; raw: Measurement }, nbctl: Row['nbctlMs'], nbctlRss: Row['nbctlRssMb'], note: string): Row => ({
    scenario,
    rows,
    oursMs: Math.round(pair.ours.ms),
    rawMs: Math.round(pair.raw.ms),
    ratio: Number((pair.ours.ms / pair.raw.ms).toFixed(2)),
    oursCpuMs: Math.round(pair.ours.cpuMs),
    rawCpuMs: Math.round(pair.raw.cpuMs),
    oursRssMb: Math.round(pair.ours.maxRssMb),
    rawRssMb: Math.round(pair.raw.maxRssMb),
    nbctlMs: nbctl === null ? null : Math.round(nbctl),
    nbctlRssMb: nbctlRss === null ? null : Math.round(nbctlRss),
    note,
  });

  process.stderr.write(`insert ${options.acls} ACLs in one transaction...\n`);
  const oneTxn = await measureWrite('insert-one-txn', options);
  table.push(row(`insert ${options.acls} ACLs, 1 txn`, options.acls, oneTxn, null, null, `n/a: ${options.acls} acl-add commands do not fit one command line`));

  process.stderr.write(`insert ${options.acls} ACLs in ${options.batch}-ACL transactions...\n`);
  const batched = await measureWrite('insert-batched', options);
  const nbForNbctl = await startStandaloneNb();
  let nbctl;
  try {
    nbctl = await nbctlBatched(nbForNbctl, options, 60_000);
  } finally {
    await nbForNbctl.stop();
  }
  table.push(
    row(`insert ${options.acls} ACLs, ${options.batch}/txn`, options.acls, batched, nbctl.ms, nbctl.maxRssMb,
      `ovn-nbctl daemon mode, ${ACLS_PER_GROUP} acl-add per call; ${nbctl.extrapolated ? `extrapolated from ${nbctl.measuredBatches}/${nbctl.totalBatches} calls` : 'all calls measured'}`),
  );

  process.stderr.write(`monitor ${options.monitorRows} ACL rows...\n`);
  const nb = await startStandaloneNb();
  try {
    await populate(nb, options.monitorRows);
    const results: Record<Variant, Measurement[]> = { ours: [], raw: [] };
    for (let r = 0; r < options.repeat; r++) {
      for (const variant of ['raw', 'ours'] as const) results[variant].push(await runChild(variant, 'monitor', nb, options));
    }
    const list = await timed('ovn-nbctl', [`--db=${nb.remotes.unix}`, '--no-leader-only', 'list', 'ACL']);
    table.push(row(`monitor ${options.monitorRows} ACLs (+PGs)`, options.monitorRows, { ours: best(results.ours), raw: best(results.raw) }, list.ms, list.maxRssMb, '`ovn-nbctl list ACL` (fetch + print)'));
  } finally {
    await nb.stop();
  }

  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const output = { suite: 'ovsdb', date: new Date().toISOString(), options, target: { maxOverheadRatio: 1.25 }, results: table };
  writeFileSync(join(ROOT, 'bench/results/ovsdb.json'), `${JSON.stringify(output, null, 2)}\n`);
  console.table(table.map((r) => ({ ...r })));
  const worst = Math.max(...table.map((r) => r.ratio));
  console.log(`worst overhead ratio ours/raw: ${worst}x (target <= 1.25x) — results in bench/results/ovsdb.json`);
}

if (process.argv[2] === '--child') {
  const [, , , variant, scenario, socketPath, json] = process.argv;
  const m = await child(variant as Variant, scenario as Scenario, socketPath as string, JSON.parse(json as string) as Options);
  console.log(JSON.stringify(m));
  process.exit(0);
} else {
  await main();
}
