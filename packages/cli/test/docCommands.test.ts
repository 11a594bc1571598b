import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/index.js';
import { repoRoot, runNbgen as nbgen } from './inProcessNbgen.js';
import { documentedCommands } from './docCommands.js';

// Every command that --help, README.md, docs/*.md and examples/*/README.md show is run, and exits as the text
// says. The commands are extracted from the texts (docCommands.ts), so a new example is tested the
// day it is written. Commands with --db need a live NB: docCommands.ovn.test.ts runs them against
// a real ovsdb-server.

const documented = (await documentedCommands(repoRoot));
const offline = documented.commands.filter((c) => !c.argv.includes('--db'));


describe('the commands the documentation shows', () => {
  it('are found in every --help, README and doc page that shows one (one example per command at least)', () => {
    const helpExamples = new Set(documented.commands.filter((c) => c.where.endsWith('--help')).map((c) => c.where));
    expect([...helpExamples].sort()).toEqual(
      // Every command shows an example in its --help, except `help` itself.
      Object.keys(commands)
        .filter((n) => n !== 'help')
        .sort()
        .map((n) => `nbgen ${n} --help`),
    );
    const files = new Set(documented.commands.map((c) => c.where.split(':')[0]));
    for (const file of ['README.md', 'docs/debug-nb.md', 'docs/sync.md', 'examples/cluster-guardrails/README.md', 'examples/eip-fip/README.md', 'examples/underlay-service/README.md', 'examples/walkthrough/README.md']) {
      expect(files).toContain(file);
    }
  });

  for (const command of offline) {
    it(`${command.where}: nbgen ${command.argv.join(' ')} exits ${command.exit}`, async () => {
      const out = await nbgen(command.argv);
      expect({ code: out.code, stderr: out.code === command.exit ? '' : out.stderr }).toEqual({ code: command.exit, stderr: '' });
      expect(out.stdout).not.toBe('');
    });
  }

  for (const synopsis of documented.synopses) {
    it(`${synopsis.where}: the synopsis names a real command (${synopsis.command})`, async () => {
      const out = await nbgen([synopsis.command, '--help']);
      expect(out.code).toBe(0);
    });
  }
});

describe('README.md', () => {
  it('shows exactly two commands to run on a fresh machine: an offline export of an example, and the tests', () => {
    const readme = readFileSync(resolve(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Two commands on a fresh machine'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toEqual(['npm ci && npx nbgen export -f examples/underlay-service', 'npm ci && npm test']);
    // The first is run like every documented command (above); `npm test` is this suite.
    expect(documented.commands.filter((c) => c.where.startsWith('README.md:')).map((c) => c.text)).toContain('npx nbgen export -f examples/underlay-service');
  });
});

describe('nbgen help', () => {
  it("lists every exit code of the table in docs/cli.md", async () => {
    const readme = readFileSync(resolve(repoRoot, 'docs/cli.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Exit codes'));
    const codes = [...table.slice(0, table.indexOf('\n#', 5)).matchAll(/^\| (\d) \|/gm)].map((m) => m[1]);
    expect(codes).toEqual(['0', '1', '2', '3', '4']);
    const help = (await nbgen(['help'])).stdout;
    const line = help.slice(help.indexOf('Exit codes:'));
    for (const code of codes) expect(line).toMatch(new RegExp(`(: |, |\n)${code} `));
  });
});
