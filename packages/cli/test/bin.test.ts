import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { run } from '../src/index.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const bin = resolve(repoRoot, 'packages/cli/bin/nbgen.js');

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function spawnNbgen(argv: readonly string[], nodeFlags: readonly string[] = []): Promise<Outcome> {
  try {
    // The timeout turns a process that never exits into a failure instead of a hung test.
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...nodeFlags, bin, ...argv], { cwd: repoRoot, timeout: 10_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bin/nbgen.js', () => {
  it('runs the build (bundle/) and prints what the in-process run of the sources prints', async () => {
    let expected = '';
    await run(['export', '-f', 'examples/underlay-service'], {
      stdout: (t) => void (expected += t),
      stderr: () => undefined,
      readStdin: async () => '',
      cwd: repoRoot,
    });
    const out = await spawnNbgen(['export', '-f', 'examples/underlay-service']);
    expect(out).toEqual({ code: 0, stdout: expected, stderr: '' });
  });

  it('sets the process exit code from the error mapping', async () => {
    const out = await spawnNbgen(['export', '-f', 'no/such/dir']);
    expect(out).toEqual({ code: 2, stdout: '', stderr: 'nbgen: no/such/dir: no such file or directory\n' });
  });

  it('exits once the command is done, with its code and all its output, whatever is left on the event loop', async () => {
    const leftTimer = ['--import', resolve(import.meta.dirname, 'fixtures/leftTimer.mjs')];
    const expected = await spawnNbgen(['export', '-f', 'examples/underlay-service']);
    expect(await spawnNbgen(['export', '-f', 'examples/underlay-service'], leftTimer)).toEqual(expected);
    expect(await spawnNbgen(['export', '-f', 'no/such/dir'], leftTimer)).toEqual({ code: 2, stdout: '', stderr: 'nbgen: no/such/dir: no such file or directory\n' });
  });
});
