import { describe, expect, it } from 'vitest';
import { runNbgen, shownRuns } from './inProcessNbgen.js';

// examples/walkthrough/README.md shows real output of explain, matrix and lint; every
// "$ nbgen ..." block there must be exactly what the command prints, exit status included.
const blocks = shownRuns('examples/walkthrough/README.md');
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
