/**
 * OVN's own client against the in-memory NB: `ovn-nbctl` (the C IDL — `_Server` check,
 * monitor_cond_since, set_db_change_aware, transactions with `wait` prerequisites) runs the
 * same commands against ovsdb-server and against the in-memory server on a unix socket; its
 * output and errors must be the same once UUIDs are masked.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryOvsdbServer } from '../../src/memory/index.js';
import { canonicalDuplicateIndexMessage } from './normalize.js';
import { makeTempDir, removeTempDir, startStandaloneNb, stopAllOvsdbServers, type StandaloneNb } from '../../../../test/harness/ovsdbServer.js';

const COMMANDS: readonly (readonly string[])[] = [
  ['ls-add', 'sw', '--', 'lsp-add', 'sw', 'p1', '--', 'lsp-set-addresses', 'p1', '00:00:00:00:00:01 10.0.0.1', '--', 'lsp-add', 'sw', 'p2'],
  ['pg-add', 'pg1', 'p1', 'p2'],
  ['acl-add', 'pg1', 'to-lport', '1001', 'ip4.src == 10.0.0.2', 'allow-related'],
  ['acl-add', 'pg1', 'from-lport', '1002', 'ip4', 'drop'],
  ['--may-exist', 'acl-add', 'pg1', 'to-lport', '1001', 'ip4.src == 10.0.0.2', 'allow-related'],
  ['acl-add', 'pg1', 'to-lport', '99999', 'ip4', 'drop'],
  ['lr-add', 'lr1', '--', 'lr-nat-add', 'lr1', 'snat', '172.16.0.1', '10.0.0.0/24'],
  ['lb-add', 'lb1', '10.96.0.1:80', '10.0.0.1:8080', '--', 'ls-lb-add', 'sw', 'lb1', '--', 'lr-lb-add', 'lr1', 'lb1'],
  ['show'],
  ['acl-list', 'pg1'],
  ['lb-list'],
  ['lb-del', 'lb1'],
  ['--bare', '--columns=load_balancer', 'list', 'Logical_Switch'],
  ['pg-add', 'pg1'],
  ['lsp-del', 'p2'],
  ['--bare', '--columns=ports', 'find', 'Port_Group', 'name=pg1'],
  ['acl-del', 'pg1', 'to-lport'],
  ['--bare', '--columns=priority', 'list', 'ACL'],
  ['ls-del', 'sw'],
  ['--bare', '--columns=ports,acls', 'list', 'Port_Group'],
  ['--bare', '--columns=name', 'list', 'Logical_Switch_Port'],
  ['set', 'Logical_Router', 'lr1', 'options:chassis=hv1', '--', 'get', 'Logical_Router', 'lr1', 'options'],
  ['remove', 'Logical_Router', 'lr1', 'options', 'chassis', '--', 'get', 'Logical_Router', 'lr1', 'options'],
  ['destroy', 'NAT', '@nonexistent'],
  ['list', 'NB_Global'],
];

let nb: StandaloneNb;
let dir: string;
beforeAll(async () => {
  nb = await startStandaloneNb();
  dir = await makeTempDir('nbgen-nbctl-');
});
afterAll(async () => {
  await nb?.stop();
  await stopAllOvsdbServers();
  if (dir) await removeTempDir(dir);
});

function nbctl(remote: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('ovn-nbctl', [`--db=${remote}`, '--no-leader-only', '--timeout=20', ...args], (error, stdout, stderr) => {
      // Log lines carry timestamps; keep what ovn-nbctl says.
      const said = stderr
        .split('\n')
        .filter((l) => l.startsWith('ovn-nbctl:'))
        .join('\n');
      const text = `${error ? `exit ${error.code}\n` : ''}${stdout}${said}`.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>');
      // Which row a duplicate-index message names first follows the servers' own UUIDs.
      resolve(text.replace(/transaction error: (\{.*\})$/m, (_m, json: string) => {
        const e = JSON.parse(json) as { details?: string };
        return `transaction error: ${JSON.stringify({ ...e, details: canonicalDuplicateIndexMessage(e.details ?? '') })}`;
      }));
    });
  });
}

it('runs ovn-nbctl commands with the same output and errors as on ovsdb-server', async () => {
  const server = MemoryOvsdbServer.ovnNorthbound();
  const memoryRemote = await server.listen({ unix: join(dir, 'memory-nb.sock') });
  try {
    for (const args of COMMANDS) {
      // `show` and `list` print rows and set members in UUID order, which differs between servers.
      const unordered = args.includes('show') || args.includes('list') || args.includes('find');
      const canonical = (text: string) => (unordered ? text.split('\n').sort().join('\n') : text);
      const real = canonical(await nbctl(nb.remotes.unix as string, args));
      const memory = canonical(await nbctl(memoryRemote, args));
      expect(memory, `ovn-nbctl ${args.join(' ')}`).toBe(real);
    }
  } finally {
    await server.close();
  }
});
