// Input that would make nbgen compile nothing, or less than the user wrote, is refused by every
// command that compiles (exit 2, nothing on stdout) instead of being ignored: a document of a kind
// nbgen compiles at an apiVersion it does not read, and input without any object. diff and apply
// refuse it before connecting (their --db here leads nowhere: a connection attempt would exit 4).
// Also: the usage of `nbgen delete` and of --max-delete.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNbgen as nbgen, scratchDirectory } from './inProcessNbgen.js';



const { path: scratch, write } = scratchDirectory('nbgen-guards-');

/** Every command that compiles, with the flags it needs besides -f. */
const compilingCommands = (scratchDir: string): Record<string, readonly string[]> => ({
  render: [],
  export: [],
  lint: [],
  matrix: [],
  'explain-nat': [],
  explain: ['--from', 'shop/client', '--to', 'shop/frontend', '--port', '8000'],
  diff: ['--db', `unix:${scratchDir}/no-nb.sock`],
  apply: ['--db', `unix:${scratchDir}/no-nb.sock`],
});

const policyAt = (apiVersion: string | undefined): string =>
  `${apiVersion === undefined ? '' : `apiVersion: ${apiVersion}\n`}kind: NetworkPolicy
metadata: { name: client-egress, namespace: shop }
spec:
  podSelector: { matchLabels: { app: client } }
  policyTypes: [Egress]
`;

describe('a policy at an apiVersion nbgen does not read', () => {
  it.each([
    ['networking.k8s.io/v1beta1', 'no matches for kind "NetworkPolicy" in version "networking.k8s.io/v1beta1"; nbgen reads networking.k8s.io/v1'],
    [undefined, 'apiVersion not set; nbgen reads kind "NetworkPolicy" in version networking.k8s.io/v1'],
  ])('at %s: every compiling command exits 2 naming file#doc', async (apiVersion, message) => {
    const file = write(`version-${apiVersion ?? 'none'}/policy.yaml`, policyAt(apiVersion));
    for (const [command, flags] of Object.entries(compilingCommands(scratch))) {
      const out = await nbgen([command, '-f', 'examples/underlay-service/cluster.yaml', '-f', file, ...flags]);
      expect({ command, ...out }).toEqual({ command, code: 2, stdout: '', stderr: `${file}#0 apiVersion: ${message}\n` });
    }
  });

  it('a ClusterNetworkPolicy at policy.networking.k8s.io/v1alpha1 too', async () => {
    const file = write('cnp/cnp.yaml', 'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: ClusterNetworkPolicy\nmetadata: {name: deny}\nspec: {}\n');
    expect(await nbgen(['export', '-f', file])).toEqual({
      code: 2,
      stdout: '',
      stderr: `${file}#0 apiVersion: no matches for kind "ClusterNetworkPolicy" in version "policy.networking.k8s.io/v1alpha1"; nbgen reads policy.networking.k8s.io/v1alpha2\n`,
    });
  });
});

describe('input without any object', () => {
  it.each([
    ['an empty directory', () => (mkdirSync(join(scratch, 'empty-dir'), { recursive: true }), join(scratch, 'empty-dir'))],
    ['an empty file', () => write('empty.yaml', '')],
    ['a file of comments and separators', () => write('comments.yaml', '# nothing here yet\n---\n# still nothing\n')],
  ])('%s: every compiling command exits 2, "no objects passed"', async (_what, make) => {
    const path = make();
    for (const [command, flags] of Object.entries(compilingCommands(scratch))) {
      const out = await nbgen([command, '-f', path, ...flags]);
      expect({ command, ...out }).toEqual({
        command,
        code: 2,
        stdout: '',
        stderr: `nbgen: no objects passed: ${path} holds no Kubernetes object (to remove an owner's rows on purpose: nbgen delete --owner NAME)\n`,
      });
    }
  });
});

describe('nbgen delete and --max-delete usage', () => {
  it('requires --owner, and --script is offline', async () => {
    expect(await nbgen(['delete', '--db', 'unix:/nowhere.sock'])).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('--owner NAME is required') });
    expect(await nbgen(['delete', '--owner', 'x', '--script', '--db', 'unix:/nowhere.sock'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--script writes a script offline: --db does not apply'),
    });
  });

  it('--script prints a script that deletes every row of the owner, with no deletion limit', async () => {
    const out = await nbgen(['delete', '--owner', 'team-a', '--script']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("OWNER=team-a\n");
    expect(out.stdout).toContain('MAX_DELETE_PERCENT=100 MAX_DELETE_ROWS=0 MAX_DELETE_EMPTYING=0\n');
    expect(out.stdout).toContain('WANTED=0\n');
    expect(out.stdout).toMatch(/\ncommit\n$/);
  });

  it('export writes the --max-delete limit into the script; a malformed one is a usage error', async () => {
    const limited = await nbgen(['export', '-f', 'examples/underlay-service', '--max-delete', '25%']);
    expect(limited.stdout).toContain("MAX_DELETE_PERCENT=25 MAX_DELETE_ROWS=0 MAX_DELETE_EMPTYING=0\nMAX_DELETE_TEXT='more than 25%'\n");
    const byDefault = await nbgen(['export', '-f', 'examples/underlay-service']);
    expect(byDefault.stdout).toContain('MAX_DELETE_PERCENT=50 MAX_DELETE_ROWS=10 MAX_DELETE_EMPTYING=1\n');
    for (const bad of ['101%', '-1', 'half', '5.5']) {
      for (const command of ['export', 'apply', 'diff']) {
        expect(await nbgen([command, '-f', 'examples/underlay-service', `--max-delete=${bad}`])).toEqual({
          code: 2,
          stdout: '',
          stderr: `nbgen: --max-delete: expected a number of rows or a percentage (0% to 100%), found ${JSON.stringify(bad)}\n(see \`nbgen help ${command}\`)\n`,
        });
      }
    }
  });
});

describe('help', () => {
  it('nbgen help lists delete and the refusals; the help of apply, diff and export describes --max-delete', async () => {
    const overview = await nbgen(['help']);
    expect(overview.stdout).toMatch(/^ {2}delete +remove every row of an owner from a live NB on purpose/m);
    expect(overview.stdout).toContain('Nothing is deleted by mistake: every command that compiles refuses (exit 2)');
    for (const command of ['apply', 'diff', 'export']) {
      expect((await nbgen([command, '--help'])).stdout).toContain('--max-delete N|P%  refuse (exit 2, nothing written)');
    }
    expect((await nbgen(['delete', '--help'])).stdout).toMatch(/^nbgen delete --owner NAME \[--db REMOTE\] \[--dry-run\]/);
  });
});
