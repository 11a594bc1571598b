/**
 * `npx tsx bench/live/run.ts [--policies 9500] [--repeat 3]`
 *
 * `nbgen explain --db` and `nbgen matrix --db` (in-process, as the CLI runs them) against a real
 * standalone ovsdb-server holding about 100,000 rows: 5,000 pod ports with addresses on one switch,
 * N policies of 1 port group + 9 ACLs each (10N rows) written by the Reconciler, 10 pods per group.
 * Each run includes connect, the select-only read, conversion, and judging. Times are wall
 * milliseconds (median of --repeat). Results: bench/results/live.json. No assertion on time here:
 * the numbers are recorded, not tested. Figures measured with it: docs/speed.md (Live NB).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OvsdbClient, Reconciler } from '@ovn-nbgen/ovsdb';
import { run, type CliIo } from '../../packages/cli/src/index.js';
import { startStandaloneNb, stopAllOvsdbServers } from '../../test/harness/ovsdbServer.js';
import { syntheticRows } from '../../test/e2e/reconcile/syntheticRows.js';

const ROOT = join(import.meta.dirname, '..', '..');
const OWNER = 'bench';
const PORTS = 5000;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const policies = flag('--policies', 9500);
const repeat = flag('--repeat', 3);
const portName = (i: number): string => `pod-${i}.bench`;
const ipOf = (i: number): string => `10.${100 + Math.floor(i / 250)}.${i % 250}.10`;

const nb = await startStandaloneNb();
try {
  const client = await OvsdbClient.connect({ remote: nb.remotes.unix!, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
  const txn = client.transaction();
  const sw = txn.insert('Logical_Switch', { name: 'bench' });
  txn.insertChildren(
    'Logical_Switch_Port',
    Array.from({ length: PORTS }, (_, i) => ({ name: portName(i), addresses: [`0a:00:00:00:${String((i >> 8) % 100).padStart(2, '0')}:${String(i % 100).padStart(2, '0')} ${ipOf(i)}`] })),
    { parent: { table: 'Logical_Switch', uuidName: sw }, column: 'ports' },
  );
  await client.transact(txn);
  const rows = syntheticRows({ owner: OWNER, policies, aclsPerPolicy: 9, ports: Array.from({ length: PORTS }, (_, i) => portName(i)), portsPerGroup: 10 });
  const reconciler = await Reconciler.start(client, { owner: OWNER, monitorTimeoutMs: 900_000 });
  await reconciler.reconcile(rows);
  await reconciler.close();
  await client.close();
  const totalRows = PORTS + 1 + rows.portGroups.length + rows.acls.length;

  const io: CliIo = { stdout: () => undefined, stderr: (t) => process.stderr.write(t), readStdin: async () => '', cwd: ROOT };
  const time = async (argv: string[]): Promise<{ ms: number; exit: number }> => {
    const times: number[] = [];
    let exit = 0;
    for (let r = 0; r < repeat; r++) {
      const start = performance.now();
      exit = await run(argv, io);
      times.push(performance.now() - start);
    }
    return { ms: Math.round(median(times)), exit };
  };
  const db = ['--db', nb.remotes.unix!];
  const explain = await time(['explain', ...db, '--from', 'bench/pod-7', '--to', ipOf(1234), '--port', '8003'].map((a) => a));
  const explainByIp = await time(['explain', ...db, '--from', ipOf(7), '--to', ipOf(1234), '--port', '8003']);
  const result = { rows: totalRows, policies, acls: rows.acls.length, ports: PORTS, repeat, explainByIp, explainByName: explain };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/live.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await nb.stop();
  await stopAllOvsdbServers();
}
