/**
 * A real ovn-northd between in-memory NB and SB databases: northd's IDLs (locks, conditional
 * monitors, `--wait=sb` through nb_cfg/sb_cfg) work against the in-memory server, and the logical
 * flows it computes from an NB with switches, port groups, ACLs, address sets, a router with NAT
 * and a load balancer are the flows it computes between real ovsdb-servers (UUIDs masked).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryOvsdbServer } from '../../src/memory/index.js';
import { makeTempDir, removeTempDir } from '../../../../test/harness/ovsdbServer.js';
import { startOvn, type Ovn } from '../../../../test/harness/ovn.js';

const NB_SCHEMA = JSON.parse(readFileSync('/usr/share/ovn/ovn-nb.ovsschema', 'utf8')) as unknown;
const SB_SCHEMA = JSON.parse(readFileSync('/usr/share/ovn/ovn-sb.ovsschema', 'utf8')) as unknown;

/** One NB, written with ovn-nbctl the same way on both sides. */
const NB_COMMANDS: readonly (readonly string[])[] = [
  ['ls-add', 'sw', '--', 'lsp-add', 'sw', 'a', '--', 'lsp-set-addresses', 'a', '00:00:00:00:00:0a 10.0.0.10'],
  ['lsp-add', 'sw', 'b', '--', 'lsp-set-addresses', 'b', '00:00:00:00:00:0b 10.0.0.11'],
  ['pg-add', 'pg_web', 'a', '--', 'create', 'Address_Set', 'name=as_clients', 'addresses="10.0.0.11"'],
  ['acl-add', 'pg_web', 'to-lport', '2001', 'outport == @pg_web && ip4.src == $as_clients && tcp.dst == 80', 'allow-related'],
  ['acl-add', 'pg_web', 'to-lport', '2000', 'outport == @pg_web && ip', 'drop'],
  ['--apply-after-lb', 'acl-add', 'pg_web', 'from-lport', '2000', 'inport == @pg_web && ip', 'drop'],
  ['lr-add', 'lr', '--', 'lrp-add', 'lr', 'lr-sw', '00:00:00:00:01:01', '10.0.0.1/24'],
  ['lsp-add', 'sw', 'sw-lr', '--', 'lsp-set-type', 'sw-lr', 'router', '--', 'lsp-set-addresses', 'sw-lr', 'router', '--', 'lsp-set-options', 'sw-lr', 'router-port=lr-sw'],
  ['lr-nat-add', 'lr', 'snat', '172.16.0.1', '10.0.0.0/24'],
  ['lb-add', 'lb_web', '10.96.0.10:80', '10.0.0.10:8080', 'tcp', '--', 'ls-lb-add', 'sw', 'lb_web'],
];

let ovn: Ovn;
let dir: string;
let northd: ChildProcess | undefined;
let memory: MemoryOvsdbServer;
let memoryRemote: string;

function tool(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(command, [...args], { timeout: 30_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr}`)) : resolve(stdout))),
  );
}

beforeAll(async () => {
  ovn = await startOvn({ version: '23.03' });
  dir = await makeTempDir('nbgen-memnorthd-');
  memory = new MemoryOvsdbServer({ schemas: [NB_SCHEMA, SB_SCHEMA] });
  memoryRemote = await memory.listen({ unix: join(dir, 'db.sock') });
  northd = spawn('ovn-northd', [`--ovnnb-db=${memoryRemote}`, `--ovnsb-db=${memoryRemote}`, `--log-file=${join(dir, 'northd.log')}`, '-vconsole:off', `--unixctl=${join(dir, 'northd.ctl')}`], {
    stdio: 'ignore',
  });
});

afterAll(async () => {
  if (northd?.pid !== undefined && northd.exitCode === null) {
    const exited = new Promise((resolve) => northd?.once('exit', resolve));
    process.kill(northd.pid, 'SIGTERM');
    await exited;
  }
  await memory?.close();
  await ovn?.stop();
  if (dir) await removeTempDir(dir);
});

/** Every logical flow as text, datapath and UUIDs left out, sorted. */
function flows(listing: string): string[] {
  return listing
    .split('\n\n')
    .map((record) => record.trim().replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>'))
    .filter(Boolean)
    .sort();
}

it('lets ovn-northd compute the same logical flows as between real ovsdb-servers', async () => {
  for (const args of NB_COMMANDS) {
    await ovn.nbctl(args);
    await tool('ovn-nbctl', [`--db=${memoryRemote}`, ...args]);
  }
  await ovn.syncSb();
  await tool('ovn-nbctl', [`--db=${memoryRemote}`, '--wait=sb', '--timeout=20', 'sync']);
  const columns = ['--bare', '--columns=pipeline,table_id,priority,match,actions', 'list', 'Logical_Flow'];
  const real = flows(await ovn.sbctl(columns));
  const fromMemory = flows(await tool('ovn-sbctl', [`--db=${memoryRemote}`, ...columns]));
  expect(real.length).toBeGreaterThan(100);
  expect(fromMemory).toEqual(real);
});
