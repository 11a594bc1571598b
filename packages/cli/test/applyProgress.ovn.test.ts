// `nbgen apply` on a terminal shows a progress line from the plan to the commit. It must be stopped on
// every way out: a commit that fails after the plan must not leave the line redrawing (and the
// process alive). The failure here is real: between the plan and the commit another writer creates
// the port group apply is about to insert, so the guarded transaction fails, apply plans again,
// finds a port group it does not own, and gives up (exit 4).
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, type CliIo } from '../src/index.js';
import { standaloneNbPerFile } from '../../../test/harness/ovsdbServerPerFile.js';
import { repoRoot } from './inProcessNbgen.js';

const { nb, nbctl } = standaloneNbPerFile();

beforeAll(async () => {
  await nbctl('ls-add', 'ovn-default', '--', 'lsp-add', 'ovn-default', 'frontend.shop', '--', 'lsp-add', 'ovn-default', 'client.shop');
});

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('nbgen apply on a terminal', () => {
  it('stops its progress line when the commit fails after the plan', async () => {
    let stderr = '';
    let raced = false;
    const io: CliIo = {
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
        if (!raced && text.includes('committing')) {
          raced = true;
          execFileSync('ovn-nbctl', [`--db=${nb().remotes.unix}`, 'pg-add', 'np.shop.client_egress']);
        }
      },
      readStdin: async () => '',
      cwd: repoRoot,
      isTty: true,
    };
    const code = await run(['apply', '-f', 'examples/underlay-service', '--db', nb().remotes.unix!], io);
    expect(raced).toBe(true);
    expect(code).toBe(4);
    expect(stderr).toMatch(/\r\u001b\[2K\r?(\u001b\[2K)?nbgen: Port_Group np\.shop\.client_egress exists and is not owned by nbgen; not touching it \(NBGEN_RECONCILE_CONFLICT\)\n$/);
    const atExit = stderr;
    await sleep(1200);
    expect(stderr).toBe(atExit);
  }, 30_000);
});
