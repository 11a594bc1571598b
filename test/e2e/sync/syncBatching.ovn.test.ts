// `nbgen sync` reads on while a transaction is in flight: the events that arrive meanwhile are
// compiled and share the next transaction, instead of one transaction per chunk of input with
// the rest waiting in the pipe (a 1,000 events/s stream fell behind that way: bench/sync/pipe.ts).
// The NB is held still with SIGSTOP while a commit is in flight; the stream is a Readable
// that hands sync one written value per read, as a pipe hands it one buffer-full.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run, type CliIo } from '../../../packages/cli/src/index.js';
import { run as runTool, startStandaloneNb, stopAllOvsdbServers, type StandaloneNb } from '../../harness/ovsdbServer.js';

let nb: StandaloneNb;
const nbctl = (...args: string[]) => runTool('ovn-nbctl', [`--db=${nb.remotes.unix}`, ...args]);

beforeAll(async () => {
  nb = await startStandaloneNb();
  await nbctl('ls-add', 'ovn-default', ...['p0', 'p1', 'p2', 'p3', 'p4'].flatMap((p) => ['--', 'lsp-add', 'ovn-default', `${p}.shop`]));
}, 60_000);

afterAll(async () => {
  await nb?.stop();
  await stopAllOvsdbServers();
});

const pod = (name: string, app: string, ip: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels: { app } },
  spec: { containers: [{ name: 'main' }] },
  status: { podIP: ip, podIPs: [{ ip }] },
});
const watchEvent = (type: 'ADDED' | 'MODIFIED', object: object): string => `${JSON.stringify({ type, object }, null, 4)}\n`;

async function until(condition: () => boolean | Promise<boolean>, limit: number): Promise<boolean> {
  for (let i = 0; i < limit / 20; i++) {
    if (await condition()) return true;
    await new Promise((done) => setTimeout(done, 20));
  }
  return false;
}

it('compiles the events that arrive while a transaction is in flight and commits them together in the next one', async () => {
  // One written value per read, as a pipe gives one buffer-full per read: the next value is
  // pushed (asynchronously, so one read never takes two) only when the stream asks for more.
  const queue: (string | null)[] = [];
  let asked = false;
  let pushing = false;
  const feed = (): void => {
    if (!asked || pushing || queue.length === 0) return;
    asked = false;
    pushing = true;
    const next = queue.shift()!;
    setImmediate(() => {
      pushing = false;
      input.push(next);
    });
  };
  const input = new Readable({
    highWaterMark: 1,
    read() {
      asked = true;
      feed();
    },
  });
  const write = (text: string | null): void => {
    queue.push(text);
    feed();
  };
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => '', stdinStream: () => input, cwd: process.cwd() };
  const synced = run(['sync', '-f', '-', '--db', nb.remotes.unix!], io);
  const consumed = () => queue.length === 0 && !pushing && input.readableLength === 0;

  // A: the namespace, a policy admitting app=client, a client and four idle pods; committed alone.
  write(
    [
      watchEvent('ADDED', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: {} } }),
      watchEvent('ADDED', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web-in', namespace: 'shop' },
        spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }] },
      }),
      watchEvent('ADDED', pod('p0', 'client', '10.0.0.9')),
      ...[1, 2, 3, 4].map((n) => watchEvent('ADDED', pod(`p${n}`, 'idle', `10.0.0.${n}`))),
    ].join(''),
  );
  // The peer's address sets (IPv4, IPv6): their addresses, once they exist.
  const clients = async () => {
    const sets = await nbctl('--bare', '--columns=addresses', 'list', 'Address_Set');
    return sets === '' ? undefined : sets.split(/\s+/).filter(Boolean).sort();
  };
  expect(await until(async () => (await clients())?.join() === '10.0.0.9', 30_000)).toBe(true);
  expect(await until(consumed, 30_000)).toBe(true);

  // B: p1 becomes a client; its commit meets a stopped NB and waits.
  process.kill(nb.pid!, 'SIGSTOP');
  try {
    write(watchEvent('MODIFIED', pod('p1', 'client', '10.0.0.1')));
    expect(await until(consumed, 30_000)).toBe(true);
    // C, D, E: three more clients, one value per read, all while B is in flight.
    for (const n of [2, 3, 4]) write(watchEvent('MODIFIED', pod(`p${n}`, 'client', `10.0.0.${n}`)));
    // Read on (not waiting for B) they are all taken now; a sync that waits for each commit before reading cannot take them.
    await until(consumed, 3_000);
  } finally {
    process.kill(nb.pid!, 'SIGCONT');
  }
  write(null);
  expect(await synced).toBe(0);
  expect(stderr).toBe('');
  // A, B, then C+D+E together (one transaction per value read would make five).
  expect(stdout).toMatch(/^synced 11 events \(0 skipped\) in 3 transactions, \d+ operations\n$/);
  expect(await clients()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.9']);
}, 90_000);
