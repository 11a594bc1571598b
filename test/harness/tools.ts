// Where the real OVN binaries of a version live, and how to run them.
//
// OVN 23.03 is installed on the host (Debian bookworm). OVN 25.03 lives in a Debian trixie root
// (scripts/setup-ovn.sh builds it) and every tool runs as `chroot ROOT tool ...`. Files the tools
// read or write (databases, sockets, pidfiles, scripts) then have two names: the host path
// (`ROOT/tmp/x`) and the path the chrooted tool sees (`/tmp/x`). `OvnTools` converts between them.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type OvnVersion = '23.03' | '25.03';

export const OVN_VERSIONS: readonly OvnVersion[] = ['23.03', '25.03'];

/** The tools every test bed needs. */
const REQUIRED_TOOLS = ['ovsdb-tool', 'ovsdb-server', 'ovn-northd', 'ovn-nbctl', 'ovn-sbctl', 'ovn-trace'] as const;
export type OvnTool = (typeof REQUIRED_TOOLS)[number] | 'ovs-appctl';

export function trixieRoot(): string {
  return process.env.NBGEN_TRIXIE_ROOT ?? '/var/cache/ovn-nbgen/trixie';
}

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** A failed tool run, with the command line and both outputs so a test failure explains itself. */
export class ToolError extends Error {
  constructor(
    readonly command: readonly string[],
    readonly exitCode: number | string | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`${command.join(' ')} failed (exit ${exitCode}): ${stderr.trim() || stdout.trim()}`);
    this.name = 'ToolError';
  }
}

/** Runs a program without a shell; rejects with ToolError on a non-zero exit. */
export function run(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      { env: options.env ?? process.env, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
          reject(new ToolError([file, ...args], code, stdout, stderr));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** One OVN installation: the host's, or a chroot root's. */
export class OvnTools {
  private constructor(
    readonly version: OvnVersion,
    /** null: tools run on the host. */
    readonly root: string | null,
    private readonly paths: Readonly<Record<OvnTool, string>>,
    /** Schemas as the tools see them. */
    readonly nbSchema: string,
    readonly sbSchema: string,
  ) {}

  /** Finds the installation of `version`, or explains what is missing. */
  static locate(version: OvnVersion): { tools: OvnTools } | { missing: string } {
    const root = version === '25.03' ? trixieRoot() : null;
    if (root !== null && !existsSync(root)) {
      return { missing: `OVN ${version}: no Debian trixie root at ${root} (run scripts/setup-ovn.sh)` };
    }
    const paths: Partial<Record<OvnTool, string>> = {};
    const missing: string[] = [];
    for (const tool of [...REQUIRED_TOOLS, 'ovs-appctl'] as const) {
      const found = findExecutable(root, tool);
      if (found) paths[tool] = found;
      else if (tool !== 'ovs-appctl') missing.push(tool);
    }
    const schemaDir = '/usr/share/ovn';
    for (const schema of ['ovn-nb.ovsschema', 'ovn-sb.ovsschema']) {
      if (!existsSync(join(root ?? '/', schemaDir, schema))) missing.push(`${schemaDir}/${schema}`);
    }
    if (missing.length > 0) {
      const where = root === null ? 'on this host' : `in ${root}`;
      return { missing: `OVN ${version}: ${missing.join(', ')} not found ${where} (run scripts/setup-ovn.sh)` };
    }
    return {
      tools: new OvnTools(
        version,
        root,
        paths as Record<OvnTool, string>,
        `${schemaDir}/ovn-nb.ovsschema`,
        `${schemaDir}/ovn-sb.ovsschema`,
      ),
    };
  }

  /** The program and arguments that run `tool args` (under chroot when the installation has a root). */
  command(tool: OvnTool, args: readonly string[]): { file: string; args: string[] } {
    const path = this.paths[tool];
    if (path === undefined) throw new Error(`OVN ${this.version}: ${tool} is not installed`);
    return this.root === null ? { file: path, args: [...args] } : { file: 'chroot', args: [this.root, path, ...args] };
  }

  run(tool: OvnTool, args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
    const { file, args: argv } = this.command(tool, args);
    return run(file, argv, options);
  }

  /** The name a tool gives to a host path (inside the root for chroot installations). */
  toolPath(hostPath: string): string {
    if (this.root === null) return hostPath;
    if (!hostPath.startsWith(`${this.root}/`)) {
      throw new Error(`${hostPath} is outside the OVN root ${this.root}: chrooted tools cannot reach it`);
    }
    return hostPath.slice(this.root.length);
  }

  /** Where host-side code finds a path that tools name `toolPath`. */
  hostPath(toolPath: string): string {
    return this.root === null ? toolPath : join(this.root, toolPath);
  }
}

function findExecutable(root: string | null, name: string): string | null {
  const dirs =
    root === null
      ? [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/sbin']
      : ['/usr/bin', '/usr/sbin', '/bin', '/sbin'];
  for (const dir of dirs) {
    if (existsSync(join(root ?? '/', dir, name))) return join(dir, name);
  }
  return null;
}
