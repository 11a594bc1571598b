// The documented commands that need a live NB (--db): each is run against a real standalone
// ovsdb-server, freshly emptied, and must exit as its text says. The remote the text names (a
// socket path or cluster addresses of the reader's network) is replaced by this server's; the rest
// of the command is run as written. Offline commands: docCommands.test.ts.
import { beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runNbgen } from './inProcessNbgen.js';
import { run as runTool } from '../../../test/harness/ovsdbServer.js';
import { standaloneNbPerFile } from '../../../test/harness/ovsdbServerPerFile.js';
import { documentedCommands } from './docCommands.js';
import { resetToUnderlayServiceSwitch } from './underlayServiceNb.js';

const live = (await documentedCommands(repoRoot)).commands.filter((c) => c.argv.includes('--db'));
const { nb, nbctl } = standaloneNbPerFile();

// The examples compile examples/underlay-service: a switch with its two pods' ports, nothing else.
beforeEach(async () => {
  await resetToUnderlayServiceSwitch(nbctl);
});

describe('documented commands with --db, on a real NB', () => {
  it('include the apply, delete, diff and sync examples, and audit, explain, matrix and test on a live NB', () => {
    expect([...new Set(live.map((c) => c.argv[0]))].sort()).toEqual(['apply', 'audit', 'delete', 'diff', 'explain', 'matrix', 'sync', 'test']);
  });

  for (const command of live) {
    it(`${command.where}: nbgen ${command.argv.join(' ')} exits ${command.exit}`, async () => {
      const argv = command.argv.map((word, i) => (command.argv[i - 1] === '--db' ? nb().remotes.unix! : word));
      // explain, matrix and test --db are shown on the NB examples/live-nb writes (Kube-OVN's layout).
      if (command.argv[0] === 'explain' || command.argv[0] === 'matrix' || command.argv[0] === 'test') {
        await nbctl('--if-exists', 'ls-del', 'ovn-default');
        await runTool('bash', ['-c', `OVN_NB_DB=${nb().remotes.unix} bash examples/live-nb/kube-ovn-nb.sh`], { cwd: repoRoot });
      }
      const { code, stdout, stderr } = await runNbgen(argv);
      expect({ code, stderr }).toEqual({ code: command.exit, stderr: '' });
      expect(stdout).not.toBe('');
    });
  }
});
