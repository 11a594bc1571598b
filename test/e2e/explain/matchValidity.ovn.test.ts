// explain's match parser accepts exactly what OVN accepts. A row whose match OVN cannot parse is
// installed as no flow at all (ovn-controller and ovn-trace skip it with "parsing expression
// failed"), so explain must reject the same matches to report such a row as not installed
// instead of judging with it. Each expression becomes an ACL; ovn-trace over northd's flows says
// which it could not parse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatchSyntaxError } from '@ovn-nbgen/core';
import { parseMatch } from '@ovn-nbgen/core/explain';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { buildTopology } from '../../harness/topology.js';
import { microflow } from '../../harness/trace.js';

const EXPRESSIONS = [
  'outport == @pg && ip4 && tcp.dst == 80',
  'inport == @pg && ip4.src == $pg_ip4 && 80 <= tcp.dst <= 90',
  'outport == @pg && !(tcp.dst == 80)',
  'outport == @pg && tcp.dst != {80, 443}',
  'outport == @pg && !tcp',
  'outport == @pg && !ip4',
  'outport == @pg && !(ip4.src == 10.16.0.0/16 && tcp)',
  'outport == @pg && !(ip.proto == 6)',
  'outport == @pg && ip.proto != 6',
  'outport == @pg && ip.proto == 6',
  'inport != "a.x"',
  '!(inport != "a.x")',
  'outport == @pg && !(outport == "a.x")',
  'outport == @pg && ip && tcp || udp',
  'outport == @pg && ip4.src == 10.16.0.1/16',
  'outport == @pg && ip4.src == 10.16.0.1/255.255.0.0',
  'outport == @pg && tcp.dst == 0x51/0xf0',
  'outport == @pg && !nd',
  'outport == @pg && !(ct.new)',
  'outport == @pg && !(ip4.mcast)',
  'outport == @pg && !(icmp6.type == 135)',
  '!(inport != "a.x") && ip4',
  'outport == @pg && tcp.dst < 1024',
  'outport == @pg && ip.proto < 7',
  'outport == @pg && (tcp.dst == 80 || udp.dst == 53)',
  'outport == @pg && (tcp.dst == 53 || 8000 <= tcp.dst <= 8999)',
  'outport == @pg && !(81 <= tcp.dst <= 90)',
  'outport == @pg && ip.proto == 6 && !(tcp.dst == 8080) && !(81 <= tcp.dst <= 90)',
  'outport == @pg && ip4.dst == {}',
  'outport == @pg && ip4.dst != $missing_set',
];

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`explain parses the matches OVN ${version} parses`, () => {
    let ovn: Ovn;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    it('accepts and rejects the same expressions as ovn-trace', async () => {
      await ovn.resetNb();
      const topology = await buildTopology(ovn, {
        pods: [
          { namespace: 'x', name: 'a', ips: ['10.16.0.10'] },
          { namespace: 'x', name: 'b', ips: ['10.16.0.11'] },
        ],
      });
      await ovn.nbctl(['pg-add', 'pg', 'a.x']);
      for (const [i, match] of EXPRESSIONS.entries()) {
        await ovn.nbctl(['--', 'acl-add', 'pg', 'to-lport', String(1000 + i), match, 'allow-related']);
      }
      await ovn.syncSb();
      const packet = topology.podToPod('x/b', 'x/a', { protocol: 'tcp', port: 80, family: 4 }).packet;
      const { stderr } = await ovn.tools.run('ovn-trace', [`--db=${ovn.sbRemote}`, '--ct=new', '--ct=new', '--minimal', packet.datapath, microflow(packet)]);
      const rejectedByOvn = EXPRESSIONS.filter((m) => stderr.split('\n').some((line) => line.includes('parsing expression failed') && line.includes(`(${m})`)));
      const rejectedByExplain = EXPRESSIONS.filter((m) => {
        try {
          parseMatch(m);
          return false;
        } catch (e) {
          if (e instanceof MatchSyntaxError) return true;
          throw e;
        }
      });
      // A missing address set is not a syntax error for explain: it is resolved (and reported)
      // when the row is evaluated, like ovn-controller does when it expands the set.
      const expectUnknownSet = (list: string[]) => list.filter((m) => !m.includes('$missing_set'));
      expect({ explainRejects: rejectedByExplain }).toEqual({ explainRejects: expectUnknownSet(rejectedByOvn) });
    });
  });
}
