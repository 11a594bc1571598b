/**
 * Real `ovsdb-server` processes for tests: a standalone OVN Northbound database on unix/tcp/ssl
 * remotes, `ovs-pki` certificates, and a Raft cluster on 127.0.0.1. Everything lives in a temp
 * directory; every daemon is a child process stopped by pid (never systemd, never by name).
 *
 * @example
 *   const nb = await startStandaloneNb({ tcp: true });
 *   // ... connect to nb.remotes.unix or nb.remotes.tcp ...
 *   await nb.stop();
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, access } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseRemote } from '../../packages/ovsdb/src/remotes/parseRemotes.js';

const execFileAsync = promisify(execFile);

export const NB_SCHEMA_PATH = '/usr/share/ovn/ovn-nb.ovsschema';
export const NB_DATABASE = 'OVN_Northbound';

/** Every process started here, so `stopAllOvsdbServers()` can clean up after a failed test. */
const running = new Set<DaemonProcess>();

// Last resort if the test process exits without afterAll: never leave a daemon behind.
process.once('exit', () => {
  for (const daemon of running) {
    const pid = daemon.pid;
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
  }
});

export async function makeTempDir(prefix = 'nbgen-ovsdb-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Ports the kernel considers free right now (all held open together so they are distinct). */
export async function freeTcpPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<typeof server>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    }),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export async function run(command: string, args: readonly string[], options: { cwd?: string } = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${failure.stderr?.trim() || failure.message}`);
  }
}

export async function createNbDatabase(dbFile: string, schemaPath = NB_SCHEMA_PATH): Promise<void> {
  await run('ovsdb-tool', ['create', dbFile, schemaPath]);
}

// --- processes -----------------------------------------------------------------------------------

/** One ovsdb-server child process that can be stopped, killed and started again with the same arguments. */
export class DaemonProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly args: readonly string[],
    readonly logFile: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  start(): void {
    if (this.pid !== undefined) {
      throw new Error(`${this.name} is already running (pid ${this.pid})`);
    }
    const child = spawn('ovsdb-server', this.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => {
      if (code !== 0 && code !== null && signal === null) {
        process.stderr.write(`${this.name} exited with code ${code}: ${stderr}\n`);
      }
    });
    this.child = child;
    running.add(this);
  }

  /** Sends `signal` to the pid and waits for the process to exit (SIGKILL after 5 s). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const pid = this.pid;
    if (pid !== undefined) {
      process.kill(pid, signal);
      const escalate = setTimeout(() => {
        if (this.pid === pid) process.kill(pid, 'SIGKILL');
      }, 5000);
      await this.exited;
      clearTimeout(escalate);
    }
    running.delete(this);
  }

  /** Graceful stop (SIGTERM), as `ovs-appctl exit` would. */
  stop(): Promise<void> {
    return this.kill('SIGTERM');
  }
}

/** Stops every ovsdb-server this module started and that is still running (for afterAll). */
export async function stopAllOvsdbServers(): Promise<void> {
  await Promise.all([...running].map((daemon) => daemon.stop()));
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

function canConnect(target: { path: string } | { host: string; port: number }): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = connect(target as never);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(undefined));
  });
}

/** Waits until every listening remote accepts connections. */
async function waitForRemotes(remotes: Readonly<Record<string, string | undefined>>): Promise<void> {
  for (const text of Object.values(remotes)) {
    if (text === undefined) continue;
    const remote = parseRemote(text);
    const target = remote.kind === 'unix' ? { path: remote.path } : { host: remote.host, port: remote.port };
    await waitFor(`${text} to accept connections`, () => canConnect(target));
  }
}

// --- PKI -----------------------------------------------------------------------------------------

export interface KeyPair {
  readonly privateKeyFile: string;
  readonly certificateFile: string;
}

export interface Pki {
  readonly dir: string;
  /** The CA that signed the server and client certificates (`controllerca/cacert.pem`). */
  readonly caCertFile: string;
  readonly server: KeyPair;
  readonly client: KeyPair;
}

/** `ovs-pki init` plus `req+sign` of a server and a client certificate, all under `dir`. */
export async function createPki(dir: string): Promise<Pki> {
  const pkiDir = join(dir, 'pki');
  const common = [`--dir=${pkiDir}`, `--log=${join(dir, 'ovs-pki.log')}`];
  await run('ovs-pki', [...common, 'init']);
  await run('ovs-pki', [...common, 'req+sign', 'server', 'controller'], { cwd: dir });
  await run('ovs-pki', [...common, 'req+sign', 'client', 'controller'], { cwd: dir });
  const pair = (name: string): KeyPair => ({
    privateKeyFile: join(dir, `${name}-privkey.pem`),
    certificateFile: join(dir, `${name}-cert.pem`),
  });
  return { dir, caCertFile: join(pkiDir, 'controllerca', 'cacert.pem'), server: pair('server'), client: pair('client') };
}

// --- standalone NB -------------------------------------------------------------------------------

export interface StandaloneNbOptions {
  /** Directory to use (created by the caller); default a new temp dir removed by `stop()`. */
  readonly dir?: string;
  /** Listen on `punix:<dir>/nb.sock`. Default true. */
  readonly unix?: boolean;
  /** Listen on `ptcp:<port>:127.0.0.1`. Default false. */
  readonly tcp?: boolean;
  /** Listen on `ptcp:<port>:[::1]` (remote `tcp:[::1]:<port>`). Default false. */
  readonly tcp6?: boolean;
  /** Listen on `pssl:<port>:127.0.0.1` with the PKI's server certificate. */
  readonly ssl?: Pki;
}

export interface StandaloneNb {
  readonly dir: string;
  readonly dbFile: string;
  readonly logFile: string;
  readonly remotes: { readonly unix?: string; readonly tcp?: string; readonly tcp6?: string; readonly ssl?: string };
  readonly process: DaemonProcess;
  readonly pid: number | undefined;
  /** Kill by pid (SIGKILL by default) and wait for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start again with the same database and remotes; resolves when they accept connections. */
  restart(): Promise<void>;
  /** Stop and remove the temp dir (if this module created it). */
  stop(): Promise<void>;
}

export async function startStandaloneNb(options: StandaloneNbOptions = {}): Promise<StandaloneNb> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await makeTempDir('nbgen-nb-'));
  const dbFile = join(dir, 'ovnnb_db.db');
  const logFile = join(dir, 'ovsdb-server-nb.log');
  await createNbDatabase(dbFile);

  const [tcpPort, sslPort, tcp6Port] = await freeTcpPorts(3);
  const remotes: { unix?: string; tcp?: string; tcp6?: string; ssl?: string } = {};
  const listen: string[] = [];
  if (options.unix ?? true) {
    const socketPath = join(dir, 'ovnnb_db.sock');
    listen.push(`--remote=punix:${socketPath}`);
    remotes.unix = `unix:${socketPath}`;
  }
  if (options.tcp) {
    listen.push(`--remote=ptcp:${tcpPort}:127.0.0.1`);
    remotes.tcp = `tcp:127.0.0.1:${tcpPort}`;
  }
  if (options.tcp6) {
    listen.push(`--remote=ptcp:${tcp6Port}:[::1]`);
    remotes.tcp6 = `tcp:[::1]:${tcp6Port}`;
  }
  if (options.ssl !== undefined) {
    const pki = options.ssl;
    listen.push(
      `--remote=pssl:${sslPort}:127.0.0.1`,
      `--private-key=${pki.server.privateKeyFile}`,
      `--certificate=${pki.server.certificateFile}`,
      `--ca-cert=${pki.caCertFile}`,
    );
    remotes.ssl = `ssl:127.0.0.1:${sslPort}`;
  }
  const daemon = new DaemonProcess(
    'ovsdb-server (NB)',
    [dbFile, ...listen, `--unixctl=${join(dir, 'ovsdb-server-nb.ctl')}`, `--log-file=${logFile}`, '-vconsole:off', '-vfile:info'],
    logFile,
  );
  daemon.start();
  await waitForRemotes(remotes);

  return {
    dir,
    dbFile,
    logFile,
    remotes,
    process: daemon,
    get pid() {
      return daemon.pid;
    },
    kill: (signal) => daemon.kill(signal),
    async restart() {
      daemon.start();
      await waitForRemotes(remotes);
    },
    async stop() {
      await daemon.stop();
      if (ownDir) await removeTempDir(dir);
    },
  };
}

// --- Raft cluster --------------------------------------------------------------------------------

export interface ClusterMember {
  readonly index: number;
  readonly dbFile: string;
  readonly ctlFile: string;
  /** Client remote, `tcp:127.0.0.1:<port>`. */
  readonly remote: string;
  /** Raft address, `tcp:127.0.0.1:<port>`. */
  readonly raftAddress: string;
  readonly process: DaemonProcess;
}

export interface NbCluster {
  readonly dir: string;
  readonly members: readonly ClusterMember[];
  /** All client remotes, comma-separated (what `--db=` takes). */
  readonly remote: string;
  pid(member: number): number | undefined;
  /** Index of the member whose `cluster/status` says it is the leader (waits for an election). */
  leader(options?: { excluding?: readonly number[] }): Promise<number>;
  /** Kill a member by pid (SIGKILL by default). */
  kill(member: number, signal?: NodeJS.Signals): Promise<void>;
  /**
   * Makes the leader hand leadership to another member while it keeps running
   * (`cluster/failure-test transfer-leadership`, what it does before writing a snapshot).
   */
  transferLeadership(member: number): Promise<void>;
  restart(member: number): Promise<void>;
  stop(): Promise<void>;
}

/** `cluster/status` of one member: its role and whether it has joined. */
export async function clusterStatus(member: ClusterMember): Promise<{ role: string; status: string; text: string }> {
  const text = await run('ovs-appctl', ['-t', member.ctlFile, 'cluster/status', NB_DATABASE]);
  const role = /^Role: (\S+)/m.exec(text)?.[1] ?? 'unknown';
  const status = /^Status: (.+)$/m.exec(text)?.[1] ?? 'unknown';
  return { role, status, text };
}

/**
 * A Raft cluster of `size` NB members on 127.0.0.1: `ovsdb-tool create-cluster` for the first,
 * `join-cluster` for the others, each with its own client port and Raft port. Resolves once every
 * member has joined and one is the leader.
 */
export async function startNbCluster(options: { size?: number; dir?: string } = {}): Promise<NbCluster> {
  const size = options.size ?? 3;
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await makeTempDir('nbgen-cluster-'));
  const ports = await freeTcpPorts(size * 2);
  const members: ClusterMember[] = [];
  for (let index = 0; index < size; index++) {
    const dbFile = join(dir, `nb${index + 1}.db`);
    const ctlFile = join(dir, `nb${index + 1}.ctl`);
    const logFile = join(dir, `nb${index + 1}.log`);
    const remote = `tcp:127.0.0.1:${ports[index * 2]}`;
    const raftAddress = `tcp:127.0.0.1:${ports[index * 2 + 1]}`;
    if (index === 0) {
      await run('ovsdb-tool', ['create-cluster', dbFile, NB_SCHEMA_PATH, raftAddress]);
    } else {
      await run('ovsdb-tool', ['join-cluster', dbFile, NB_DATABASE, raftAddress, members[0]!.raftAddress]);
    }
    const daemon = new DaemonProcess(
      `ovsdb-server (NB member ${index + 1})`,
      [dbFile, `--remote=ptcp:${ports[index * 2]}:127.0.0.1`, `--unixctl=${ctlFile}`, `--log-file=${logFile}`, '-vconsole:off', '-vfile:info'],
      logFile,
    );
    members.push({ index, dbFile, ctlFile, remote, raftAddress, process: daemon });
  }
  for (const member of members) {
    member.process.start();
  }
  for (const member of members) {
    await waitForRemotes({ tcp: member.remote });
    await waitFor(`member ${member.index + 1} to join`, async () => {
      const { status } = await clusterStatus(member);
      return status === 'cluster member' ? true : undefined;
    });
  }

  const cluster: NbCluster = {
    dir,
    members,
    remote: members.map((member) => member.remote).join(','),
    pid: (member) => members[member]!.process.pid,
    async leader({ excluding = [] } = {}) {
      return waitFor('a cluster leader', async () => {
        for (const member of members) {
          if (excluding.includes(member.index) || member.process.pid === undefined) continue;
          const { role } = await clusterStatus(member).catch(() => ({ role: 'down' }));
          if (role === 'leader') return member.index;
        }
        return undefined;
      });
    },
    kill: (member, signal) => members[member]!.process.kill(signal),
    async transferLeadership(member) {
      await run('ovs-appctl', ['-t', members[member]!.ctlFile, 'cluster/failure-test', 'transfer-leadership']);
    },
    async restart(member) {
      members[member]!.process.start();
      await waitForRemotes({ tcp: members[member]!.remote });
    },
    async stop() {
      await Promise.all(members.map((member) => member.process.stop()));
      if (ownDir) await removeTempDir(dir);
    },
  };
  await cluster.leader();
  return cluster;
}

/** True if the file exists (e.g. a unix socket after a restart). */
export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
