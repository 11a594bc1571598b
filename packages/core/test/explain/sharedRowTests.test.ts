import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACL_STAGES, buildAclProgram, evaluateMatch, parseMatch, type MatchPacket as Packet } from '../../src/explain/index.js';
import { AddressSetRow, PortGroupRow, emptyNbRows, type NbRows } from '../../src/rows/index.js';
import { aclRow } from '../support/aclRow.js';

// A row filed under its port group is tested without its binding, and rows whose matches are the
// same after the binding share one compiled test (judge5: policies with the same rules on other
// pods). Sharing must never hand a row another row's test: every row's test must answer what the
// interpreter answers on the row's whole match, for packets of its group's ports.

const PORTS = ['a', 'b', 'c'];
const GROUPS = ['g1', 'g2', 'g3'];
const rests = [
  'ip',
  'ip4',
  'ip6',
  'ip4 && tcp.dst == 80',
  'ip4 && tcp.dst == 8080',
  'ip4 && tcp.dst == 80 && ip4.src == $s1',
  'ip4 && tcp.dst == 80 && ip4.src == $s2',
  'ip4 && ip4.src == $s1',
  'ip4.src == $s1 && tcp',
  'ip4.src == $missing && tcp',
  'tcp.dst == {80, 8080}',
  '(tcp.dst == 80 || udp.dst == 53)',
  'outport == @g1 && ip4',
];

const rowsArb = fc.record({
  members: fc.tuple(...GROUPS.map(() => fc.subarray(PORTS))),
  rows: fc.array(
    fc.record({ field: fc.constantFrom('inport', 'outport'), group: fc.constantFrom(...GROUPS), rest: fc.constantFrom(...rests), priority: fc.integer({ min: 1000, max: 1003 }) }),
    { minLength: 1, maxLength: 12 },
  ),
});

const packetArb = fc.record({
  inport: fc.constantFrom(...PORTS),
  outport: fc.constantFrom(...PORTS),
  family: fc.constantFrom(4 as const),
  src: fc.constantFrom(0x0a000001n, 0x0a000002n, 0x0a000003n),
  dst: fc.constantFrom(0x0a000001n, 0x0a000002n),
  protocol: fc.constantFrom('tcp' as const, 'udp' as const),
  srcPort: fc.constant(40000),
  dstPort: fc.constantFrom(53, 80, 8080),
});

const outcome = (f: () => boolean): string => {
  try {
    return String(f());
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
};

describe('rows sharing a compiled test', () => {
  it('answer what the interpreter answers on their own whole match', () => {
    fc.assert(
      fc.property(rowsArb, fc.array(packetArb, { minLength: 1, maxLength: 8 }), ({ members, rows }, packets) => {
        const nb: NbRows = {
          ...emptyNbRows,
          portGroups: GROUPS.map((name, i) => PortGroupRow({ name, ports: members[i]!, externalIds: {} })),
          addressSets: [AddressSetRow({ name: 's1', addresses: ['10.0.0.1'], externalIds: {} }), AddressSetRow({ name: 's2', addresses: ['10.0.0.2'], externalIds: {} })],
          acls: rows.map((r, i) =>
            aclRow({ portGroup: r.group, direction: r.field === 'inport' ? 'from-lport' : 'to-lport', priority: r.priority, match: `${r.field} == @${r.group} && ${r.rest}`, action: 'allow-related', name: `r${i}`, externalIds: {} }),
          ),
        };
        const program = buildAclProgram(nb, new Map());
        for (const stage of ACL_STAGES) {
          for (const acl of program.stages[stage]) {
            const ports = new Set(members[GROUPS.indexOf(acl.row.portGroup)]!);
            const whole = parseMatch(acl.row.match);
            for (const p of packets) {
              const packet: Packet = acl.row.direction === 'to-lport' ? p : { ...p, outport: '' };
              if (!ports.has(acl.binding!.field === 'inport' ? packet.inport : packet.outport)) continue;
              expect(outcome(() => acl.test(packet)), `${acl.row.match} on ${packet.inport} -> ${packet.outport} ${packet.protocol}/${packet.dstPort}`).toBe(
                outcome(() => evaluateMatch(whole, packet, program.env)),
              );
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
