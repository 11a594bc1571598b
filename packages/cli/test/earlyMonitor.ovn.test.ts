// `nbgen diff`/`apply` send the monitor of the owner's rows before they read the manifests, so that
// ovsdb-server composes its reply while nbgen reads, validates and compiles (issue 17). Checked
// through a proxy in front of a real ovsdb-server that delays every answer of the server, as a busy
// machine does: the handshake then takes longer than the 50 ms the input used to wait for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { run, type CliIo } from '../src/index.js';
import { makeTempDir, removeTempDir, run as runTool, startStandaloneNb, stopAllOvsdbServers, type StandaloneNb } from '../../../test/harness/ovsdbServer.js';
import { resetToUnderlayServiceSwitch } from './underlayServiceNb.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const manifests = ['cluster.yaml', 'client-egress.yaml'].map((f) => readFileSync(join(repoRoot, 'examples/underlay-service', f), 'utf8')).join('\n---\n');
/** Per answer of the server: three round trips before the monitor request make 180 ms. */
const ANSWER_DELAY_MS = 60;

let nb: StandaloneNb;
let dir: string;
let proxy: Server;
let proxyPath: string;
/** What clients have sent through the proxy so far, and how many connections it took. */
let sent = '';
let connections = 0;
/** Once a client has asked for a monitor of OVN_Northbound, hold the server's answers back this long. */
let holdAfterMonitorMs = 0;
const MONITOR_REQUEST = /"method":"monitor_cond(_since)?","params":\["OVN_Northbound"/;

/** A unix socket in front of the NB that delays every answer of the server by ANSWER_DELAY_MS, in order. */
function startSlowProxy(): Server {
  return createServer((client) => {
    connections++;
    const server = createConnection(nb.remotes.unix!.slice('unix:'.length));
    let sentHere = '';
    let holdUntil = 0;
    let lastRelease = 0;
    client.on('data', (chunk) => {
      sent += chunk.toString('utf8');
      sentHere += chunk.toString('utf8');
      if (holdUntil === 0 && holdAfterMonitorMs > 0 && MONITOR_REQUEST.test(sentHere)) holdUntil = Date.now() + holdAfterMonitorMs;
      server.write(chunk);
    });
    server.on('data', (chunk) => {
      lastRelease = Math.max(lastRelease, Date.now() + ANSWER_DELAY_MS, holdUntil);
      setTimeout(() => client.writable && client.write(chunk), lastRelease - Date.now());
    });
    client.on('close', () => server.destroy());
    server.on('close', () => setTimeout(() => client.destroy(), Math.max(0, lastRelease - Date.now()) + ANSWER_DELAY_MS));
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
  });
}

beforeAll(async () => {
  nb = await startStandaloneNb();
  await resetToUnderlayServiceSwitch((...args) => runTool('ovn-nbctl', [`--db=${nb.remotes.unix}`, ...args]));
  dir = await makeTempDir('nbgen-early-');
  proxyPath = join(dir, 'slow.sock');
  proxy = startSlowProxy();
  await new Promise<void>((done) => proxy.listen(proxyPath, done));
}, 60_000);

afterAll(async () => {
  await new Promise((done) => proxy?.close(done));
  await nb?.stop();
  await stopAllOvsdbServers();
  if (dir) await removeTempDir(dir);
});

async function nbgen(argv: readonly string[], onInput: () => void = () => undefined): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => {
      // The proxy runs in this process: let it read what nbgen has written to its socket so far
      // (a few ms; the handshake alone takes three delayed answers, 180 ms).
      await new Promise((done) => setTimeout(done, 20));
      onInput();
      return manifests;
    },
    cwd: repoRoot,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

describe('the monitor request leaves before the manifests are read', () => {
  for (const command of ['diff', 'apply'] as const) {
    it(`${command}, when the NB answers the handshake slowly`, async () => {
      await resetToUnderlayServiceSwitch((...args) => runTool('ovn-nbctl', [`--db=${nb.remotes.unix}`, ...args]));
      sent = '';
      let monitorSentBeforeInput: boolean | undefined;
      const { code, stdout, stderr } = await nbgen([command, '-f', '-', '--db', `unix:${proxyPath}`], () => (monitorSentBeforeInput = MONITOR_REQUEST.test(sent)));
      expect({ code, stderr }).toEqual({ code: command === 'diff' ? 1 : 0, stderr: '' });
      expect(stdout).toContain(command === 'diff' ? '+ Port_Group np.shop.client_egress' : 'Port_Group: 1 inserted');
      expect(monitorSentBeforeInput).toBe(true);
    });
  }
});

describe('a one-shot command waits for a server that sends nothing for longer than an inactivity probe', () => {
  // A probe (5 s idle, then 5 s for the echo's answer) would drop the connection and ask for the
  // monitor again on a new one, which the proxy holds back again: the command would never end.
  const cases = [
    { command: 'diff', argv: ['diff', '-f', '-'], code: 1, out: '+ Port_Group np.shop.client_egress' },
    { command: 'delete', argv: ['delete', '--owner', 'nbgen'], code: 0, out: 'Port_Group: 0 inserted, 0 updated, 1 deleted' },
  ];
  for (const c of cases) {
    it(`${c.command} keeps its one connection while ovsdb-server is silent for 11 s (composing a big reply, say)`, async () => {
      await resetToUnderlayServiceSwitch((...args) => runTool('ovn-nbctl', [`--db=${nb.remotes.unix}`, ...args]));
      if (c.command === 'delete') expect((await nbgen(['apply', '-f', '-', '--db', nb.remotes.unix!])).code).toBe(0);
      connections = 0;
      holdAfterMonitorMs = 11_000;
      try {
        const { code, stdout, stderr } = await nbgen([...c.argv, '--db', `unix:${proxyPath}`]);
        expect({ code, stderr }).toEqual({ code: c.code, stderr: '' });
        expect(stdout).toContain(c.out);
        expect(connections).toBe(1);
      } finally {
        holdAfterMonitorMs = 0;
      }
    }, 60_000);
  }
});
