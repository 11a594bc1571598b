// The test bed itself, on hand-written NB rows: the verdicts the e2e suites rely on must flip
// when the NB says so, stay "first packet" across daemon restarts, follow Service DNAT, and the
// daemons must go away on stop().
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ovnToolsOrSkip, startOvn, type Ovn } from './ovn.js';
import { isAlive, readPidfile } from './processes.js';
import { OVN_VERSIONS } from './tools.js';
import { buildTopology, type Topology } from './topology.js';
import { replyOf } from './trace.js';

const PODS = [
  { namespace: 'x', name: 'a', ips: ['10.16.1.10', 'fd00:10:16::1:10'] },
  { namespace: 'x', name: 'b', ips: ['10.16.1.11', 'fd00:10:16::1:11'] },
];
const VIP = '10.96.0.10';

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`test bed on OVN ${version}`, () => {
    let ovn: Ovn;
    let topo: Topology;
    const aToB = (protocol: 'tcp' | 'udp' | 'sctp', port: number, family: 4 | 6 = 4) =>
      topo.podToPod('x/a', 'x/b', { protocol, port, family });
    const verdict = async (query: Parameters<Ovn['trace']>[0]) => (await ovn.trace(query)).verdict;

    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });
    beforeEach(async () => {
      await ovn.resetNb();
      topo = await buildTopology(ovn, {
        pods: PODS,
        loadBalancers: [{ name: 'svc', protocol: 'tcp', vips: { [`${VIP}:80`]: ['10.16.1.11:8000'] } }],
      });
    });

    it('verdicts follow the ACLs: open switch, then a drop, then an allow-related for TCP 80 only', async () => {
      expect(await verdict(aToB('tcp', 80))).toBe('allow');
      await ovn.nbctl(['pg-add', 'pg_b', 'b.x', '--', 'acl-add', 'pg_b', 'to-lport', '2000', 'outport == @pg_b && ip', 'drop']);
      expect([await verdict(aToB('tcp', 80)), await verdict(aToB('udp', 80, 6))]).toEqual(['drop', 'drop']);
      await ovn.nbctl(['acl-add', 'pg_b', 'to-lport', '2001', 'outport == @pg_b && ip4 && tcp.dst == 80', 'allow-related']);
      expect([
        await verdict(aToB('tcp', 80)),
        await verdict(aToB('tcp', 81)),
        await verdict(aToB('sctp', 80)),
        await verdict(aToB('tcp', 80, 6)),
      ]).toEqual(['allow', 'drop', 'drop', 'drop']);
    });

    it('more probes than one ovn-trace daemon has --ct states for are all first packets', async () => {
      await ovn.nbctl(['pg-add', 'pg_b', 'b.x', '--', 'acl-add', 'pg_b', 'to-lport', '2000', 'outport == @pg_b && ip', 'drop']);
      await ovn.nbctl(['acl-add', 'pg_b', 'to-lport', '2001', 'outport == @pg_b && tcp.dst == 80', 'allow-related']);
      // An exhausted daemon would trace "established" packets, which pass the drop.
      const verdicts = new Set<string>();
      for (let i = 0; i < 700; i++) verdicts.add(`${i % 2 ? 81 : 80}:${await verdict(aToB('tcp', i % 2 ? 81 : 80))}`);
      expect([...verdicts].sort()).toEqual(['80:allow', '81:drop']);
    });

    it('replies of an allowed connection pass a drop in the reply direction', async () => {
      await ovn.nbctl(['pg-add', 'pg_b', 'b.x', '--', 'acl-add', 'pg_b', 'from-lport', '2000', 'inport == @pg_b && ip', 'drop']);
      const query = aToB('tcp', 80);
      const reverse = topo.podToPod('x/b', 'x/a', { protocol: 'tcp', port: 80, family: 4 });
      expect([await verdict(query), await verdict(replyOf(query)), await verdict(reverse)]).toEqual([
        'allow',
        'allow',
        'drop',
      ]);
    });

    it('a Service VIP probe is DNATed to the backend port before ACLs that apply after LB', async () => {
      const viaVip = topo.podToAddress('x/a', VIP, { protocol: 'tcp', port: 80 }, 'x/b');
      const afterLb = (priority: string, match: string, action: string) =>
        ovn.nbctl(['--apply-after-lb', 'acl-add', 'pg_a', 'from-lport', priority, match, action]);
      await ovn.nbctl(['pg-add', 'pg_a', 'a.x']);
      await afterLb('2000', 'inport == @pg_a && ip', 'drop');
      await afterLb('2001', 'inport == @pg_a && tcp.dst == 80', 'allow-related');
      // The Service port (80) is gone by the time the after-LB ACLs look: dropped.
      expect(await verdict(viaVip)).toBe('drop');
      await afterLb('2001', 'inport == @pg_a && tcp.dst == 8000', 'allow-related');
      // The daemon picks the only backend itself; a one-shot trace with --lb-dst agrees.
      expect([await verdict(viaVip), await verdict({ ...viaVip, lbDst: '10.16.1.11:8000' })]).toEqual(['allow', 'allow']);
    });

    it('an untraceable packet fails loudly instead of reading as a drop', async () => {
      const bad = { ...aToB('tcp', 80), packet: { ...aToB('tcp', 80).packet, inport: 'no-such-port' } };
      await expect(ovn.trace(bad)).rejects.toThrow(/ovn-trace (could not trace|daemon failed)/);
    });
  });

  describe.skipIf(tools === null)(`startOvn/stop on OVN ${version}`, () => {
    it('stop() ends every daemon it started and removes its directory', async () => {
      const own = await startOvn({ version });
      const topo = await buildTopology(own, { pods: PODS });
      await own.trace(topo.podToPod('x/a', 'x/b', { protocol: 'tcp', port: 80, family: 4 }));
      const pids = readdirSync(own.dir)
        .filter((f) => f.endsWith('.pid'))
        .map((f) => readPidfile(join(own.dir, f)));
      expect(pids.length).toBe(4); // nb, sb, northd, one ovn-trace daemon
      expect(pids.every((pid) => pid !== null && isAlive(pid))).toBe(true);
      await own.stop();
      expect(pids.filter((pid) => pid !== null && isAlive(pid))).toEqual([]);
      expect(existsSync(own.dir)).toBe(false);
    });
  });
}
