import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAclProgram } from '../../src/explain/aclProgram.js';
import { judgeDirectPath, judgePath } from '../../src/explain/path.js';
import { parseIp } from '../../src/net/ip.js';
import { AddressSetRow, PortGroupRow, emptyNbRows, type NbRows } from '../../src/rows/index.js';
import { aclRow } from '../support/aclRow.js';

// judgeDirectPath writes its two packets into two objects it keeps (judge6: no packets made per
// flow). Each flow must be judged on its own packets, whatever was judged before: the one
// entering the switch (no outport: rows of from-lport stages that read outport never match),
// and the one leaving it. Held to judgePath, which makes fresh packets, on sequences of flows
// over rows that read every field of the packet.

const PORTS = ['a', 'b', 'c'];
const rests = [
  'ip4',
  'ip6',
  'outport == "b"',
  'outport == ""',
  'inport == "a"',
  'ip4.src == $s && tcp',
  'ip4.dst == 10.0.0.2',
  'ip6.dst == fd00::2',
  'tcp.dst == 80',
  'udp.dst == 80',
  'tcp.src == 40000',
  'tcp.src == 40001',
];

const rowsArb = fc.array(
  fc.record({
    direction: fc.constantFrom('from-lport' as const, 'to-lport' as const),
    afterLb: fc.boolean(),
    rest: fc.constantFrom(...rests),
    priority: fc.integer({ min: 1000, max: 1003 }),
    action: fc.constantFrom('allow-related' as const, 'drop' as const, 'pass' as const),
  }),
  { minLength: 1, maxLength: 10 },
);

const flowArb = fc.record({
  family: fc.constantFrom(4 as const, 6 as const),
  protocol: fc.constantFrom('tcp' as const, 'udp' as const),
  srcPort: fc.constantFrom(40000, 40001),
  inport: fc.constantFrom(...PORTS),
  outport: fc.constantFrom(...PORTS),
  src: fc.constantFrom(1, 2, 3),
  dst: fc.constantFrom(1, 2, 3),
  dstPort: fc.constantFrom(80, 443, null),
});

describe('judgeDirectPath on its reused packets', () => {
  it('judges each flow as judgePath does on fresh packets, in any sequence', () => {
    fc.assert(
      fc.property(rowsArb, fc.array(flowArb, { minLength: 2, maxLength: 10 }), (rows, flows) => {
        const nb: NbRows = {
          ...emptyNbRows,
          portGroups: [PortGroupRow({ name: 'all', ports: PORTS, externalIds: {} })],
          addressSets: [AddressSetRow({ name: 's', addresses: ['10.0.0.1', 'fd00::1'], externalIds: {} })],
          acls: rows.map((r, i) =>
            aclRow({
              portGroup: 'all',
              direction: r.direction,
              priority: r.priority,
              match: r.rest,
              action: r.action,
              name: `r${i}`,
              externalIds: {},
              ...(r.afterLb && r.direction === 'from-lport' ? { options: { 'apply-after-lb': 'true' } } : {}),
            }),
          ),
        };
        const program = buildAclProgram(nb, new Map());
        for (const f of flows) {
          const [src, dst] = [f.src, f.dst].map((n) => (f.family === 4 ? `10.0.0.${n}` : `fd00::${n}`)) as [string, string];
          const direct = judgeDirectPath(program, f.family, f.protocol, f.srcPort, f.inport, f.outport, parseIp(src)!.value, parseIp(dst)!.value, f.dstPort);
          const fresh = judgePath(program, { family: f.family, protocol: f.protocol, sourcePort: f.srcPort }, [{ inport: f.inport, outport: f.outport, src, dst: { ip: dst, port: f.dstPort } }]);
          expect(direct).toEqual(fresh);
        }
      }),
      { numRuns: 400, seed: 20261205 },
    );
  });
});
