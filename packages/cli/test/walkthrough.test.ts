import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNbgen } from './inProcessNbgen.js';

// examples/walkthrough/README.md shows real output of explain, matrix and lint; every
// "$ nbgen ..." block there must be exactly what the command prints, exit status included.
const root = join(import.meta.dirname, '../../..');
const readme = readFileSync(join(root, 'examples/walkthrough/README.md'), 'utf8');
const blocks = [...readme.matchAll(/```\n\$ nbgen (.*)\n([\s\S]*?)\[exit (\d+)\]\n```/g)].map((m) => ({
  argv: m[1]!.split(' '),
  output: m[2]!,
  exit: Number(m[3]),
}));

describe('examples/walkthrough/README.md', () => {
  it('has the lint, explain and matrix examples', () => {
    expect(blocks.map((b) => b.argv[0])).toEqual(['lint', 'explain', 'matrix', 'lint', 'explain', 'matrix', 'lint', 'explain', 'explain', 'lint']);
  });

  for (const block of blocks) {
    it(`nbgen ${block.argv.join(' ')} prints what the README shows`, async () => {
      const { code, stdout, stderr } = await runNbgen(block.argv);
      expect({ code, stdout, stderr }).toEqual({ code: block.exit, stdout: block.output, stderr: '' });
    });
  }
});
