// Runs the CLI in-process for the CLI's tests: the same `run` the bin calls, with an io that
// collects what a command writes instead of printing it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import type { CliIo } from '../src/io.js';
import { run } from '../src/main.js';

/** The repository root: commands shown in the docs run from there. */
export const repoRoot = resolve(import.meta.dirname, '../../..');

/** What one `nbgen` run ended with. */
export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `nbgen argv...` in-process; relative paths resolve against `cwd` (the repository root by default). */
export async function runNbgen(argv: readonly string[], options: { stdin?: string; cwd?: string } = {}): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => options.stdin ?? '',
    cwd: options.cwd ?? repoRoot,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/**
 * A fresh directory under the system's temporary directory for one test file, removed after the
 * file's tests; `write` puts a file in it (making its folders) and returns the file's path.
 */
export function scratchDirectory(prefix: string): { readonly path: string; readonly write: (relativePath: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    path: dir,
    write: (relativePath, text) => {
      const path = join(dir, relativePath);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
      return path;
    },
  };
}

/** One "$ nbgen ..." block of a README: the command, what it prints and the `[exit N]` line closing it. */
export interface ShownRun {
  readonly argv: readonly string[];
  readonly output: string;
  readonly exit: number;
}

/** The "$ nbgen ..." blocks of a README (path from the repository root) that end with `[exit N]`. */
export function shownRuns(readmePath: string): readonly ShownRun[] {
  const readme = readFileSync(join(repoRoot, readmePath), 'utf8');
  return [...readme.matchAll(/```\n\$ nbgen (.*)\n([\s\S]*?)\[exit (\d+)\]\n```/g)].map((m) => ({
    argv: m[1]!.split(' '),
    output: m[2]!,
    exit: Number(m[3]),
  }));
}
