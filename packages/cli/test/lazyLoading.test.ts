import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The CLI loads only what the command needs (issue 17): proven on the built bin, by recording every
// ES module the process loads through Node's module hooks. The bin runs the bundle (chunks of
// dist/ and dependencies); each chunk loaded stands for the modules esbuild put into it
// (bundle/meta.json), so the assertions name the same dist/ modules as without a bundle.
const repoRoot = resolve(import.meta.dirname, '../../..');
const bin = join(repoRoot, 'packages/cli/bin/nbgen.js');
const recorder = join(import.meta.dirname, 'fixtures/recordLoadedModules.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'nbgen-loaded-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let runs = 0;
/** Runs the bin and returns the URLs of the ES modules it loaded (files and `node:` builtins). */
async function urlsLoadedBy(argv: readonly string[]): Promise<string[]> {
  const record = join(scratch, `run-${runs++}.txt`);
  await promisify(execFile)(process.execPath, ['--import', recorder, bin, ...argv], {
    cwd: repoRoot,
    env: { ...process.env, NBGEN_LOADED_MODULES_FILE: record },
  }).catch((error: { code?: number }) => {
    if (typeof error.code !== 'number') throw error; // exit codes 1 and 2 are answers, not failures
  });
  return readFileSync(record, 'utf8').split('\n');
}

/** Runs the bin and returns the files it loaded: repo-relative, node_modules as `pkg:NAME`. */
async function modulesLoadedBy(argv: readonly string[]): Promise<string[]> {
  const urls = (await urlsLoadedBy(argv)).filter((url) => url.startsWith('file:'));
  // The bin runs the bundle (scripts/bundle.mjs), never dist/ module by module.
  expect(urls.map((url) => relative(repoRoot, fileURLToPath(url))).filter((path) => /^packages\/[^/]+\/dist\//.test(path))).toEqual([]);
  const files = urls.flatMap((url) => modulesIn(relative(repoRoot, fileURLToPath(url)))).map((path) => {
    const inDependency = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    return inDependency ? `pkg:${inDependency[1]}` : path;
  });
  return [...new Set(files)].sort();
}

const cliRoot = 'packages/cli';
const bundleMeta = JSON.parse(readFileSync(join(repoRoot, cliRoot, 'bundle/meta.json'), 'utf8')) as {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
};
const bundleOutputs = new Map(Object.entries(bundleMeta.outputs).map(([output, { inputs }]) => [relative(repoRoot, resolve(repoRoot, cliRoot, output)), inputs]));

/** A loaded file as the repo-relative modules it holds: a bundle chunk's inputs, else itself. */
function modulesIn(path: string): string[] {
  if (!path.startsWith(`${cliRoot}/bundle/`)) return [path];
  const inputs = bundleOutputs.get(path);
  if (!inputs) throw new Error(`${path}: not in bundle/meta.json (stale bundle?)`);
  return Object.keys(inputs).map((input) => relative(repoRoot, resolve(repoRoot, cliRoot, input)));
}

const ovsdbFiles = (files: readonly string[]) => files.filter((f) => f.startsWith('packages/ovsdb/'));

describe('nbgen loads only what the command needs', () => {
  it('--version loads the command table and nothing of core, ovsdb or their dependencies', async () => {
    expect(await modulesLoadedBy(['--version'])).toEqual([
      'packages/cli/bin/nbgen.js',
      'packages/cli/dist/commands/index.js',
      'packages/cli/dist/exitCodes.js',
      'packages/cli/dist/io.js',
      'packages/cli/dist/main.js',
    ]);
  });

  it.each([['render'], ['export']])('%s loads the OVSDB error classes only, not the client', async (command) => {
    const files = await modulesLoadedBy([command, '-f', 'examples/underlay-service']);
    expect(files).toContain('packages/core/dist/index.js');
    expect(ovsdbFiles(files)).toEqual([
      'packages/ovsdb/dist/errors.js',
      // The one UUID syntax, which parseRemotes checks a `cid:` entry with (no imports of its own).
      'packages/ovsdb/dist/notation/uuid.js',
      'packages/ovsdb/dist/publicErrors.js',
      'packages/ovsdb/dist/reconcile/errors.js',
      'packages/ovsdb/dist/remotes/parseRemotes.js',
    ]);
    expect(files.filter((f) => f.startsWith('packages/cli/dist/commands/'))).toEqual(
      [`packages/cli/dist/commands/${command}.js`, 'packages/cli/dist/commands/index.js'].sort(),
    );
  });

  it.each([[['apply', '--help']], [['diff', '--help']], [['help']], [[]]])(
    'nbgen %j loads the OVSDB client but never the in-memory server',
    async (argv) => {
      const files = ovsdbFiles(await modulesLoadedBy(argv));
      expect(files).toContain('packages/ovsdb/dist/client/client.js');
      expect(files.filter((f) => f.startsWith('packages/ovsdb/dist/memory/'))).toEqual([]);
    },
  );

  it.each([[['diff', '--help']], [['apply', '--help']]])('nbgen %j loads node:tls only for an ssl: remote (~3 ms at start-up)', async (argv) => {
    const builtins = (await urlsLoadedBy(argv)).filter((url) => url.startsWith('node:'));
    expect(builtins).toContain('node:net');
    expect(builtins.filter((url) => url === 'node:tls' || url === 'node:crypto')).toEqual([]);
  });

  it('the bundle holds zod with its English locale only', () => {
    // `import { z } from 'zod'` takes zod's whole namespace: every locale, about 40% of the chunk
    // every command that reads manifests compiles at start-up. `import * as z` lets esbuild keep
    // only what is used.
    const locales = [...bundleOutputs.values()].flatMap((inputs) => Object.keys(inputs)).filter((input) => input.includes('node_modules/zod/v4/locales/'));
    expect(locales.map((input) => input.replace(/.*node_modules\//, ''))).toEqual(['zod/v4/locales/en.js']);
  });
});
