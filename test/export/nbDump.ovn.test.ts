// canonicalDump compares what a writer under test wrote, so it must not change with ovn-northd's
// schedule: northd writes some NB columns itself (Logical_Switch_Port `up`, ...) whenever it gets to
// them. Pausing northd makes both moments reproducible: the dump taken before northd has seen a new
// port must equal the dump taken after it has processed it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../harness/ovn.js';
import { OVN_VERSIONS } from '../harness/tools.js';
import { canonicalDump, listRows } from './nbDump.js';

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`canonicalDump ignores northd's own writes (OVN ${version})`, () => {
    let ovn: Ovn;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    const northd = (command: string) =>
      ovn.tools.run('ovs-appctl', ['-t', ovn.tools.toolPath(`${ovn.dir}/northd.ctl`), command]);

    it('a port before and after northd set its `up` column dumps the same', async () => {
      await ovn.resetNb();
      await northd('pause');
      try {
        await ovn.nbctl(['ls-add', 'sw', '--', 'lsp-add', 'sw', 'p1', '--', 'lsp-set-addresses', 'p1', '0a:00:00:00:00:01 10.0.0.1']);
        const [before] = await listRows(ovn, 'Logical_Switch_Port');
        const beforeNorthd = await canonicalDump(ovn);
        await northd('resume');
        await ovn.syncSb();
        const [after] = await listRows(ovn, 'Logical_Switch_Port');
        // The premise: northd did write the column in between (else this test proves nothing).
        expect([before!.up, after!.up]).toEqual([['set', []], false]);
        expect(await canonicalDump(ovn)).toEqual(beforeNorthd);
      } finally {
        await northd('resume');
      }
    });
  });
}
