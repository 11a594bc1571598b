import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNbgen } from './inProcessNbgen.js';

const root = join(import.meta.dirname, '../../..');
const readme = readFileSync(join(root, 'examples/nodeport/README.md'), 'utf8');

/**
 * Every `$ nbgen ...` block of the README with the output it shows and its exit code (a closing
 * `[exit N]` line, the convention of docCommands.ts; 0 without one).
 */
const blocks = [...readme.matchAll(/```\n\$ nbgen (.+)\n([\s\S]*?)```/g)].map((m) => {
  const exit = /\[exit (\d+)\]\n$/.exec(m[2]!);
  return { argv: m[1]!.split(' '), shown: exit ? m[2]!.slice(0, exit.index) : m[2]!, exit: exit ? Number(exit[1]) : 0 };
});

describe('examples/nodeport/README.md', () => {
  it('shows the Cluster and the Local NodePort, and the load balancer', () => {
    expect(blocks.map((b) => b.argv.join(' '))).toEqual([
      'explain -f examples/nodeport --from 192.0.2.10 --to node:w2:30080',
      'explain -f examples/nodeport --from 192.0.2.10 --to node:w2:30081',
      'explain -f examples/nodeport --from 192.0.2.10 --to 203.0.113.10 --port 443',
    ]);
  });
  for (const block of blocks) {
    it(`nbgen ${block.argv.join(' ')} prints what the README shows`, async () => {
      const { code, stdout } = await runNbgen(block.argv);
      expect(stdout).toBe(block.shown);
      expect(code).toBe(block.exit);
    });
  }
});
