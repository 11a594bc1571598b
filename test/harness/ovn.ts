// A private, real OVN control plane for one test file: NB and SB ovsdb-servers on unix sockets and
// an ovn-northd between them, all in a temp dir, started and stopped by pid.
//
//   const ovn = await startOvn({ version: '23.03' });
//   await ovn.nbctl(['ls-add', 'sw']);                 // or ovn.runScript(renderedScript)
//   const r = await ovn.trace({ packet, expectOutport: 'a.x' });   // r.verdict: 'allow' | 'drop'
//   await ovn.stop();
//
// For OVN 25.03 the daemons and tools run under `chroot $NBGEN_TRIXIE_ROOT`; the temp dir is made
// inside that root so host-side code (an OVSDB client, this file) and the chrooted tools both
// reach the same sockets: `dir`/`nbSocketPath` are host paths, `nbRemote` is the tools' name.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAndWait, readPidfile, trackPid, untrackPid } from './processes.js';
import { OvnTools, run, type CommandResult, type OvnVersion } from './tools.js';
import { TraceDaemon, traceOnce, type TraceQuery, type TraceResult } from './trace.js';

export type { OvnVersion } from './tools.js';

export interface StartOvnOptions {
  readonly version: OvnVersion;
}

export interface Ovn {
  readonly version: OvnVersion;
  readonly tools: OvnTools;
  /** Host path of the instance's directory (databases, sockets, logs, pidfiles). */
  readonly dir: string;
  /** The same directory as the OVN tools see it (differs from `dir` under chroot). */
  readonly toolDir: string;
  /** `unix:...` remotes as the OVN tools see them (for --db=, OVN_NB_DB). */
  readonly nbRemote: string;
  readonly sbRemote: string;
  /** Host paths of the database sockets, for clients running in this process. */
  readonly nbSocketPath: string;
  readonly sbSocketPath: string;
  /** `ovn-nbctl --db=NB args...`; resolves with stdout. */
  nbctl(args: readonly string[]): Promise<string>;
  /** `ovn-sbctl --db=SB args...`; resolves with stdout. */
  sbctl(args: readonly string[]): Promise<string>;
  /** Runs a bash script (e.g. an exported `ovn-nbctl` script) with OVN_NB_DB pointing at this NB. */
  runScript(bashText: string, env?: Readonly<Record<string, string>>): Promise<CommandResult>;
  /** `ovn-nbctl --wait=sb sync`: returns once ovn-northd has compiled every NB change so far. */
  syncSb(): Promise<void>;
  /** Tells the harness the NB changed behind its back (e.g. an OVSDB client wrote it). */
  invalidate(): void;
  /** Deletes every logical switch, router, port group, address set, load balancer (a clean NB). */
  resetNb(): Promise<void>;
  /**
   * Traces one packet against the current NB: syncs the SB first if the NB changed, and answers
   * from an ovn-trace daemon snapshot (or a one-shot ovn-trace for `lbDst` or a `ct` other than new).
   */
  trace(query: TraceQuery): Promise<TraceResult>;
  stop(): Promise<void>;
}

/** Root NB tables whose rows (and the non-root rows they own: ports, ACLs, NAT...) resetNb deletes. */
const RESET_TABLES = [
  'Logical_Switch',
  'Logical_Router',
  'Port_Group',
  'Address_Set',
  'Load_Balancer',
  'Load_Balancer_Group',
  'Meter',
  'DHCP_Options',
  'HA_Chassis_Group',
] as const;

/**
 * The OVN installation of `version` for a test file, or null to skip it. Missing OVN fails the
 * run when CI=true (a CI that silently skips real-OVN tests proves nothing) and otherwise skips
 * with a message saying what is missing.
 */
export function ovnToolsOrSkip(version: OvnVersion): OvnTools | null {
  const found = OvnTools.locate(version);
  if ('tools' in found) return found.tools;
  if (process.env.CI === 'true') throw new Error(`real-OVN tests cannot run: ${found.missing}`);
  console.warn(`SKIPPING real-OVN tests: ${found.missing}`);
  return null;
}

export async function startOvn(options: StartOvnOptions): Promise<Ovn> {
  const found = OvnTools.locate(options.version);
  if ('missing' in found) throw new Error(found.missing);
  const tools = found.tools;

  const parent = tools.root === null ? tmpdir() : join(tools.root, 'tmp');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'nbgen-'));
  const at = (name: string): string => join(dir, name);
  const tool = (name: string): string => tools.toolPath(at(name));

  const pids: number[] = [];
  const startDaemon = async (
    program: 'ovsdb-server' | 'ovn-northd',
    name: string,
    args: readonly string[],
  ): Promise<void> => {
    await tools.run(program, [
      '--detach',
      `--pidfile=${tool(`${name}.pid`)}`,
      `--log-file=${tool(`${name}.log`)}`,
      `--unixctl=${tool(`${name}.ctl`)}`,
      ...args,
    ]);
    const pid = readPidfile(at(`${name}.pid`));
    if (pid === null) throw new Error(`${program} (${name}) started but wrote no pidfile in ${dir}`);
    trackPid(pid);
    pids.push(pid);
  };

  const stopDaemons = async (): Promise<void> => {
    // All at once: each takes a while to notice SIGTERM, and none depends on another going first.
    await Promise.all(
      pids.splice(0).map(async (pid) => {
        await killAndWait(pid);
        untrackPid(pid);
      }),
    );
  };

  try {
    await tools.run('ovsdb-tool', ['create', tool('nb.db'), tools.nbSchema]);
    await tools.run('ovsdb-tool', ['create', tool('sb.db'), tools.sbSchema]);
    await startDaemon('ovsdb-server', 'nb', [`--remote=punix:${tool('nb.sock')}`, tool('nb.db')]);
    await startDaemon('ovsdb-server', 'sb', [`--remote=punix:${tool('sb.sock')}`, tool('sb.db')]);
    await startDaemon('ovn-northd', 'northd', [
      `--ovnnb-db=unix:${tool('nb.sock')}`,
      `--ovnsb-db=unix:${tool('sb.sock')}`,
    ]);
  } catch (error) {
    await stopDaemons();
    throw error;
  }

  const nbRemote = `unix:${tool('nb.sock')}`;
  const sbRemote = `unix:${tool('sb.sock')}`;
  const tracer = new TraceDaemon(tools, sbRemote, dir);
  // NB changed since the last sync / SB changed since the trace daemon's snapshot.
  let nbDirty = true;
  let snapshotStale = true;
  let scriptCount = 0;
  let traceQueue: Promise<unknown> = Promise.resolve();

  const nbctl = async (args: readonly string[]): Promise<string> => {
    nbDirty = true;
    return (await tools.run('ovn-nbctl', [`--db=${nbRemote}`, ...args])).stdout;
  };

  const syncSb = async (): Promise<void> => {
    await tools.run('ovn-nbctl', [`--db=${nbRemote}`, '--wait=sb', '--timeout=60', 'sync']);
    nbDirty = false;
    snapshotStale = true;
  };

  const traceNow = async (query: TraceQuery): Promise<TraceResult> => {
    if (nbDirty) await syncSb();
    if (query.lbDst || (query.ct ?? 'new') !== 'new') return traceOnce(tools, sbRemote, query);
    if (snapshotStale) {
      await tracer.start();
      snapshotStale = false;
    }
    return tracer.trace(query);
  };

  const ovn: Ovn = {
    version: options.version,
    tools,
    dir,
    toolDir: tools.toolPath(dir),
    nbRemote,
    sbRemote,
    nbSocketPath: at('nb.sock'),
    sbSocketPath: at('sb.sock'),
    nbctl,
    sbctl: async (args) => (await tools.run('ovn-sbctl', [`--db=${sbRemote}`, ...args])).stdout,
    runScript: async (bashText, env = {}) => {
      nbDirty = true;
      const file = at(`script-${++scriptCount}.sh`);
      writeFileSync(file, bashText, { mode: 0o755 });
      const bashArgs = [tools.toolPath(file)];
      const command =
        tools.root === null
          ? { file: 'bash', args: bashArgs }
          : { file: 'chroot', args: [tools.root, '/bin/bash', ...bashArgs] };
      return run(command.file, command.args, { env: { ...process.env, OVN_NB_DB: nbRemote, ...env } });
    },
    syncSb,
    invalidate: () => {
      nbDirty = true;
    },
    resetNb: async () => {
      await nbctl(RESET_TABLES.flatMap((table, i) => [...(i > 0 ? ['--'] : []), '--all', 'destroy', table]));
    },
    trace: (query) => {
      // One trace at a time: the daemon answers in order and may be restarted between calls.
      const result = traceQueue.then(() => traceNow(query));
      traceQueue = result.catch(() => undefined);
      return result;
    },
    stop: async () => {
      await traceQueue;
      await tracer.stop();
      await stopDaemons();
      if (process.env.NBGEN_KEEP_OVN === '1') {
        console.warn(`NBGEN_KEEP_OVN=1: keeping ${dir}`);
      } else {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return ovn;
}
