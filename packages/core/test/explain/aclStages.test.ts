import { describe, expect, it } from 'vitest';
import { buildAclProgram, evaluateStage, traceHops, type MatchPacket as Packet } from '../../src/explain/index.js';
import { parseIp } from '../../src/net/ip.js';
import { aclRow } from '../support/aclRow.js';
import { AclRow, AddressSetRow, PortGroupRow, emptyNbRows, type AclAction, type NbRows } from '../../src/rows/index.js';

const ip = (t: string): bigint => parseIp(t)!.value;

function acl(direction: AclRow['direction'], priority: number, tier: number | null, action: AclAction, match: string, rule: string, afterLb = false): AclRow {
  return aclRow({
    portGroup: 'pg.client',
    direction,
    priority,
    match,
    action,
    tier,
    options: afterLb ? { 'apply-after-lb': 'true' } : {},
    externalIds: { 'nbgen/kind': 'Test', 'nbgen/namespace': 'prod', 'nbgen/name': 'p', 'nbgen/rule': rule },
  });
}

function rows(acls: AclRow[]): NbRows {
  return {
    ...emptyNbRows,
    portGroups: [
      PortGroupRow({ name: 'pg.client', ports: ['client.prod'], externalIds: {} }),
      PortGroupRow({ name: 'pg.web', ports: ['web.prod'], externalIds: {} }),
    ],
    addressSets: [AddressSetRow({ name: 'web4', addresses: ['10.16.0.5'], externalIds: {} })],
    acls,
  };
}

const ports = new Map([
  ['client.prod', ['10.16.0.9']],
  ['web.prod', ['10.16.0.5']],
]);
const packet: Packet = { inport: 'client.prod', outport: '', family: 4, src: ip('10.16.0.9'), dst: ip('10.16.0.5'), protocol: 'tcp', srcPort: 40000, dstPort: 8000 };
const decide = (acls: AclRow[], stage: 'from-lport' | 'from-lport-after-lb' | 'to-lport' = 'from-lport', p = packet) =>
  evaluateStage(buildAclProgram(rows(acls), ports), stage, p);

describe('ACL stage evaluation on hand-built rows', () => {
  it('highest priority matching row decides; rows of other ports are counted, not listed', () => {
    const d = decide([
      acl('from-lport', 2000, null, 'drop', 'inport == @pg.client && ip', 'drop'),
      acl('from-lport', 2001, null, 'allow-related', 'inport == @pg.client && ip4.dst == $web4 && tcp.dst == 80', 'allow-80'),
      acl('from-lport', 2001, null, 'allow-related', 'inport == @pg.web && ip', 'other-port'),
    ]);
    expect(d.verdict).toBe('deny');
    expect(d.decidedBy?.externalIds['nbgen/rule']).toBe('drop');
    expect(d.trail.map((t) => [t.row.externalIds['nbgen/rule'], t.result, t.detail])).toEqual([
      ['allow-80', 'not-matched', 'tcp.dst == 80 (packet: 8000)'],
      ['drop', 'matched', 'drop'],
    ]);
    expect(d.otherPortRows).toBe(1);
  });

  it('no matching row means OVN default allow', () => {
    const d = decide([acl('from-lport', 2000, null, 'drop', 'inport == @pg.client && udp', 'drop-udp')]);
    expect(d).toMatchObject({ verdict: 'allow', decidedBy: null });
  });

  it('tiers are consulted in ascending order before priority: a tier-1 low-priority allow beats a tier-2 high-priority drop', () => {
    const d = decide([
      acl('from-lport', 30000, 2, 'drop', 'inport == @pg.client && ip', 'np-drop'),
      acl('from-lport', 1000, 1, 'allow-related', 'inport == @pg.client && tcp', 'admin-allow'),
    ]);
    expect(d.decidedBy?.externalIds['nbgen/rule']).toBe('admin-allow');
  });

  it('pass skips the rest of its tier and continues at the next tier', () => {
    const d = decide([
      acl('from-lport', 25000, 1, 'pass', 'inport == @pg.client && tcp.dst == 8000', 'admin-pass'),
      acl('from-lport', 24000, 1, 'drop', 'inport == @pg.client && ip', 'admin-deny-lower'),
      acl('from-lport', 2001, 2, 'allow-related', 'inport == @pg.client && tcp.dst == 8000', 'np-allow'),
      acl('from-lport', 2000, 2, 'drop', 'inport == @pg.client && ip', 'np-drop'),
    ]);
    expect(d.verdict).toBe('allow');
    expect(d.trail.map((t) => [t.row.externalIds['nbgen/rule'], t.result])).toEqual([
      ['admin-pass', 'passed'],
      ['np-allow', 'matched'],
    ]);
  });

  it('pass into an empty next tier ends in the default allow', () => {
    const d = decide([
      acl('from-lport', 25000, 1, 'pass', 'inport == @pg.client', 'admin-pass'),
      acl('from-lport', 24000, 1, 'drop', 'inport == @pg.client', 'admin-drop'),
    ]);
    expect(d).toMatchObject({ verdict: 'allow', decidedBy: null });
  });

  it('reports a row with an unknown address set as not installed, and equal-priority conflicts as ties', () => {
    const d = decide([
      acl('from-lport', 2001, null, 'allow-related', 'inport == @pg.client && ip4.dst == $missing', 'broken'),
      acl('from-lport', 2000, null, 'allow-related', 'inport == @pg.client && tcp', 'tie-allow'),
      acl('from-lport', 2000, null, 'drop', 'inport == @pg.client && ip', 'tie-drop'),
    ]);
    expect(d.trail[0]).toMatchObject({ result: 'ignored', detail: 'not installed by OVN: address set $missing does not exist' });
    expect(d.ties.map((r) => r.externalIds['nbgen/rule'])).toHaveLength(1);
  });

  it('judges apply-after-lb rows after DNAT and plain from-lport rows before it', () => {
    const program = buildAclProgram(
      rows([
        acl('from-lport', 2001, null, 'allow-related', 'inport == @pg.client && tcp.dst == 8000', 'allow-target', true),
        acl('from-lport', 2000, null, 'drop', 'inport == @pg.client && ip', 'drop', true),
        acl('from-lport', 1000, null, 'drop', 'inport == @pg.client && ip4.dst == 10.96.0.10', 'pre-lb-vip-drop'),
      ]),
      ports,
    );
    const path = traceHops(program, { protocol: 'tcp', family: 4, sourcePort: 40000 }, [
      { inport: 'client.prod', outport: 'web.prod', src: '10.16.0.9', dst: { ip: '10.96.0.10', port: 80 }, dnat: { ip: '10.16.0.5', port: 8000 } },
    ]);
    expect(path.verdict).toBe('deny');
    expect(path.stages.map((s) => [s.stage, s.verdict])).toEqual([['from-lport', 'deny']]);
    expect(path.decidingRows[0]?.origin?.rule).toBe('pre-lb-vip-drop');
  });

  it('to-lport rows see the destination port as outport, from-lport rows see outport unset', () => {
    const toRow = acl('to-lport', 2000, null, 'drop', 'outport == @pg.web && ip', 'web-drop');
    const fromRow = acl('from-lport', 2000, null, 'drop', 'outport == @pg.web && ip', 'never');
    expect(decide([toRow], 'to-lport', { ...packet, outport: 'web.prod' }).verdict).toBe('deny');
    expect(decide([fromRow], 'from-lport').verdict).toBe('allow');
  });
});
