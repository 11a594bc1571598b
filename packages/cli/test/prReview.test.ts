import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runNbgen as nbgen, shownRuns } from './inProcessNbgen.js';

// examples/pr-review/README.md shows real output of `nbgen test` and `nbgen impact`; every
// "$ nbgen ..." block there must be exactly what the command prints, exit status included. The
// pull-request workflow in docs/policy-tests.md runs the same commands: each `nbgen` line of its
// "Pull-request workflow" block must be one of them.
const blocks = shownRuns('examples/pr-review/README.md');

describe('examples/pr-review/README.md', () => {
  it('has the test and impact examples', () => {
    expect(blocks.map((b) => b.argv[0])).toEqual(['test', 'test', 'impact', 'impact']);
  });

  for (const block of blocks) {
    it(`nbgen ${block.argv.join(' ')} prints what the README shows`, async () => {
      expect(await nbgen(block.argv)).toEqual({ code: block.exit, stdout: block.output, stderr: '' });
    });
  }
});

describe('docs/policy-tests.md pull-request workflow', () => {
  const main = readFileSync(join(repoRoot, 'docs/policy-tests.md'), 'utf8');
  const section = /<!-- pr-workflow -->\n([\s\S]*?)<!-- \/pr-workflow -->/.exec(main)?.[1] ?? '';
  const commands = [...section.matchAll(/^\s*(?:- run: )?nbgen (.*?)(?:\s+#.*)?$/gm)].map((m) => m[1]!.replace(/\s*[>|].*$/, ''));

  it('shows nbgen test in CI and nbgen impact -o markdown as the review comment', () => {
    expect(commands.map((c) => c.split(' ')[0])).toEqual(['test', 'impact']);
    expect(commands[1]).toContain('-o markdown');
  });

  for (const command of commands) {
    it(`nbgen ${command} runs on the example with the exit status the workflow relies on`, async () => {
      const out = await nbgen(command.split(' '));
      expect(out.stderr).toBe('');
      expect(out.code).toBe(1);
      const shown = blocks.find((b) => b.argv.join(' ') === command);
      if (shown) expect(out.stdout).toBe(shown.output);
      else expect(out.stdout).toMatch(/^<\?xml [^\n]*\n<testsuites name="nbgen test" tests="6" failures="1">/);
    });
  }
});
