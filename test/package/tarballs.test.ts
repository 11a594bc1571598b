import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as coreFromSource from '@ovn-nbgen/core';
import * as coreExplainFromSource from '@ovn-nbgen/core/explain';
import * as coreLintFromSource from '@ovn-nbgen/core/lint';
import * as coreModelFromSource from '@ovn-nbgen/core/model';
import * as coreScriptFromSource from '@ovn-nbgen/core/script';
import * as ovsdbFromSource from '@ovn-nbgen/ovsdb';
import * as ovsdbCacheFromSource from '@ovn-nbgen/ovsdb/cache';
import * as ovsdbErrorsFromSource from '@ovn-nbgen/ovsdb/errors';
import * as ovsdbLiveFromSource from '@ovn-nbgen/ovsdb/live';
import * as ovsdbMemoryFromSource from '@ovn-nbgen/ovsdb/memory';
import * as ovsdbNotationFromSource from '@ovn-nbgen/ovsdb/notation';
import * as ovsdbReconcileFromSource from '@ovn-nbgen/ovsdb/reconcile';
import * as ovsdbSessionFromSource from '@ovn-nbgen/ovsdb/session';
import * as ovsdbWireFromSource from '@ovn-nbgen/ovsdb/wire';
import { run } from '@ovn-nbgen/cli';

// `npm pack` of each package gives a tarball that works in someone else's project (issue 17): a
// fresh project outside the repository installs the three tarballs (no workspace links), then uses
// them from plain Node, from TypeScript (strict; node16 and bundler resolution) and as a command.
// Expected outputs come from the sources in this repository, so the build must match them.
const repoRoot = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const typesNodeVersion = (JSON.parse(readFileSync(require.resolve('@types/node/package.json'), 'utf8')) as { version: string }).version;

const scratch = mkdtempSync(join(tmpdir(), 'nbgen-pack-'));
const project = join(scratch, 'consumer');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// npm run-script exports the running package's settings as npm_* variables; the consumer's npm
// must see its own project, not this repository's workspace.
const npmEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_(package|lifecycle)_|^npm_config_(local_prefix|prefix|workspaces?)$|^INIT_CWD$/i.test(key)),
);

async function sh(file: string, args: readonly string[], cwd: string): Promise<string> {
  const { stdout } = await promisify(execFile)(file, args, { cwd, env: npmEnv, maxBuffer: 64 << 20 });
  return stdout;
}

beforeAll(async () => {
  const packed = JSON.parse(
    await sh('npm', ['pack', '--json', '--pack-destination', scratch, '-w', 'packages/core', '-w', 'packages/ovsdb', '-w', 'packages/cli'], repoRoot),
  ) as { filename: string }[];
  cpSync(join(repoRoot, 'examples/underlay-service'), join(project, 'examples/underlay-service'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // Dependencies (zod, yaml, @types/node) come from npm's cache when it has them.
  await sh(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', ...packed.map((p) => join(scratch, p.filename)), `@types/node@${typesNodeVersion}`],
    project,
  );
});

/** The Library section of README.md, exactly as written there. */
function readmeLibraryExample(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Library\n'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md: no ts block under "## Library"');
  return block[1]!;
}

/** What the README example computes, from this repository's sources. */
function readmeScriptFromSources(): string {
  const { capabilitiesForOvnVersion, compile, DEFAULT_OWNER, kubeOvnPortName, loadModel, renderNbctlScript } = coreFromSource;
  const sources = ['cluster.yaml', 'client-egress.yaml'].map((file) => ({
    name: file,
    text: readFileSync(join(repoRoot, 'examples/underlay-service', file), 'utf8'),
  }));
  const capabilities = capabilitiesForOvnVersion('23.03');
  const { rows } = compile(loadModel(sources).model, {
    owner: DEFAULT_OWNER,
    capabilities,
    portNameFor: kubeOvnPortName,
    alwaysAllowCidrs: [],
    logging: {},
  });
  return renderNbctlScript(rows, { owner: DEFAULT_OWNER, capabilities });
}

describe('the packed tarballs, installed in a fresh project', () => {
  it('install without tsx, esbuild or typescript, and without workspace links', () => {
    const installed = ['@ovn-nbgen/core', '@ovn-nbgen/ovsdb', '@ovn-nbgen/cli', 'tsx', 'esbuild', 'typescript'].filter((name) =>
      existsSync(join(project, 'node_modules', name, 'package.json')),
    );
    expect(installed).toEqual(['@ovn-nbgen/core', '@ovn-nbgen/ovsdb', '@ovn-nbgen/cli']);
    const lock = readFileSync(join(project, 'package-lock.json'), 'utf8');
    expect(lock).not.toContain('"link": true');
  });

  it('carry the metadata a registry needs (and the root package stays private)', () => {
    const metadata = ['core', 'ovsdb', 'cli'].map((name) => {
      const pkg = JSON.parse(readFileSync(join(project, 'node_modules/@ovn-nbgen', name, 'package.json'), 'utf8')) as Record<string, unknown>;
      const { version, license, repository, engines, private: isPrivate } = pkg;
      const licenseText = readFileSync(join(project, 'node_modules/@ovn-nbgen', name, 'LICENSE'), 'utf8');
      return {
        name: pkg['name'],
        version,
        license,
        licenseFile: licenseText.includes('Apache License') && licenseText.includes('Version 2.0, January 2004'),
        repository,
        repositoryNote: pkg['//'],
        engines,
        files: Array.isArray(pkg['files']),
        private: isPrivate,
      };
    });
    const repoVersion = (JSON.parse(readFileSync(join(repoRoot, 'packages/core/package.json'), 'utf8')) as { version: string }).version;
    expect(metadata).toEqual(
      ['core', 'ovsdb', 'cli'].map((name) => ({
        name: `@ovn-nbgen/${name}`,
        version: repoVersion,
        license: 'Apache-2.0',
        licenseFile: true,
        // No public remote exists yet: the URL is where the project means to publish, and says so.
        repository: { type: 'git', url: 'git+https://github.com/ovn-nbgen/ovn-nbgen.git', directory: `packages/${name}` },
        repositoryNote: expect.stringContaining('no public git remote yet'),
        engines: { node: '>=20' },
        files: true,
        private: undefined,
      })),
    );
    expect(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))).toMatchObject({ private: true });
  });

  it('load from plain Node ESM with the same exports as the sources, and compile and render the example', async () => {
    writeFileSync(
      join(project, 'plain.mjs'),
      `import { readFileSync } from 'node:fs';
import * as core from '@ovn-nbgen/core';
import * as coreExplain from '@ovn-nbgen/core/explain';
import * as coreLint from '@ovn-nbgen/core/lint';
import * as coreModel from '@ovn-nbgen/core/model';
import * as coreScript from '@ovn-nbgen/core/script';
import * as ovsdb from '@ovn-nbgen/ovsdb';
import * as ovsdbCache from '@ovn-nbgen/ovsdb/cache';
import * as ovsdbErrors from '@ovn-nbgen/ovsdb/errors';
import * as ovsdbLive from '@ovn-nbgen/ovsdb/live';
import * as ovsdbMemory from '@ovn-nbgen/ovsdb/memory';
import * as ovsdbNotation from '@ovn-nbgen/ovsdb/notation';
import * as ovsdbReconcile from '@ovn-nbgen/ovsdb/reconcile';
import * as ovsdbSession from '@ovn-nbgen/ovsdb/session';
import * as ovsdbWire from '@ovn-nbgen/ovsdb/wire';
const sources = ['cluster.yaml', 'client-egress.yaml'].map((file) => ({
  name: file,
  text: readFileSync('examples/underlay-service/' + file, 'utf8'),
}));
const capabilities = core.capabilitiesForOvnVersion('23.03');
const { rows } = core.compile(core.loadModel(sources).model, { owner: core.DEFAULT_OWNER, capabilities });
console.log(JSON.stringify({
  core: Object.keys(core).sort(),
  coreSubpaths: [coreExplain, coreLint, coreModel, coreScript].map((m) => Object.keys(m).sort()),
  ovsdb: Object.keys(ovsdb).sort(),
  ovsdbSubpaths: [ovsdbCache, ovsdbErrors, ovsdbLive, ovsdbMemory, ovsdbNotation, ovsdbReconcile, ovsdbSession, ovsdbWire].map((m) => Object.keys(m).sort()),
  script: core.renderNbctlScript(rows, { owner: core.DEFAULT_OWNER, capabilities }),
}));
`,
    );
    const out = JSON.parse(await sh(process.execPath, ['plain.mjs'], project)) as unknown;
    expect(out).toEqual({
      core: Object.keys(coreFromSource).sort(),
      coreSubpaths: [coreExplainFromSource, coreLintFromSource, coreModelFromSource, coreScriptFromSource].map((m) => Object.keys(m).sort()),
      ovsdb: Object.keys(ovsdbFromSource).sort(),
      ovsdbSubpaths: [ovsdbCacheFromSource, ovsdbErrorsFromSource, ovsdbLiveFromSource, ovsdbMemoryFromSource, ovsdbNotationFromSource, ovsdbReconcileFromSource, ovsdbSessionFromSource, ovsdbWireFromSource].map((m) => Object.keys(m).sort()),
      script: readmeScriptFromSources(),
    });
  });

  it("type-check the README's library example (strict, node16 and bundler resolution); built, it prints the script", async () => {
    writeFileSync(join(project, 'readme.ts'), `${readmeLibraryExample()}\nprocess.stdout.write(script);\n`);
    const compilerOptions = { strict: true, target: 'ES2022', types: ['node'], skipLibCheck: false };
    writeFileSync(
      join(project, 'tsconfig.node16.json'),
      JSON.stringify({ compilerOptions: { ...compilerOptions, module: 'node16', moduleResolution: 'node16', outDir: 'out' }, files: ['readme.ts'] }),
    );
    writeFileSync(
      join(project, 'tsconfig.bundler.json'),
      JSON.stringify({ compilerOptions: { ...compilerOptions, module: 'esnext', moduleResolution: 'bundler', noEmit: true }, files: ['readme.ts'] }),
    );
    await sh(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], project);
    await sh(process.execPath, [tsc, '-p', 'tsconfig.node16.json'], project);
    expect(await sh(process.execPath, ['out/readme.js'], project)).toBe(readmeScriptFromSources());
  });

  it('run the installed nbgen bin as the sources run', async () => {
    let expected = '';
    await run(['export', '-f', 'examples/underlay-service'], {
      stdout: (text) => void (expected += text),
      stderr: () => undefined,
      readStdin: async () => '',
      cwd: repoRoot,
    });
    const bin = join(project, 'node_modules/.bin/nbgen');
    expect(await sh(bin, ['export', '-f', 'examples/underlay-service'], project)).toBe(expected);
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'packages/cli/package.json'), 'utf8')) as { version: string };
    expect(await sh(bin, ['--version'], project)).toBe(`nbgen ${version}\n`);
  });
});
