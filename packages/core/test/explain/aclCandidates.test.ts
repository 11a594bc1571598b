import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACL_STAGES, buildAclProgram, type PreparedAcl } from '../../src/explain/index.js';
import { AclRow, PortGroupRow, emptyNbRows, type NbRows } from '../../src/rows/index.js';
import { aclRow } from '../support/aclRow.js';

// candidates() files rows by the port group of their `inport ==`/`outport ==` conjunct and
// gathers a port's rows on first use (shared by ports in the same groups). Whatever the groups and
// bindings, a port pair's candidates must be the rows whose binding admits that pair (or that
// have none, or name a group that does not exist), in the stage's evaluation order.

const PORTS = ['a', 'b', 'c', 'd'];
const GROUPS = ['g1', 'g2', 'g3', 'empty'];
const bindings = [
  'inport == @g1 && ip',
  'inport == @g2 && tcp.dst == 80',
  'outport == @g1 && ip',
  'outport == @g3 && ip4',
  'outport == @g2 && ip6',
  'inport == {"a", @g3} && ip',
  'outport == "b" && ip',
  'inport == @missing && ip',
  'ip4 && outport == @g2',
  '(inport == @g1 || ip)',
  'ip',
  'inport == @empty && ip',
  'outport == @g1 && inport == @g2',
  'ip4.src == ', // does not parse: no binding
];

const row = (match: string, direction: AclRow['direction'], priority: number, tier: number | null, afterLb: boolean, i: number): AclRow =>
  aclRow({
    portGroup: 'g1',
    direction,
    priority,
    match,
    action: 'allow-related',
    name: `r${i}`,
    tier,
    options: afterLb ? { 'apply-after-lb': 'true' } : {},
    externalIds: {},
  });

/** The ports a binding admits, or null when every port is a candidate (no binding, unknown group). */
function admitted(acl: PreparedAcl, groups: ReadonlyMap<string, readonly string[]>): ReadonlySet<string> | null {
  if (acl.binding === null || acl.binding.test.type !== 'compare') return null;
  const ports = new Set<string>();
  for (const v of acl.binding.test.values) {
    if (v.kind === 'string') ports.add(v.value);
    else if (v.kind === 'portGroup') {
      const members = groups.get(v.name);
      if (!members) return null;
      for (const p of members) ports.add(p);
    } else return null;
  }
  return ports;
}

describe('ACL program candidates', () => {
  it('are the rows whose binding admits the port pair, in evaluation order', () => {
    const spec = fc.record({
      members: fc.tuple(...GROUPS.slice(0, 3).map(() => fc.subarray(PORTS))),
      rows: fc.array(
        fc.record({
          match: fc.constantFrom(...bindings),
          direction: fc.constantFrom('from-lport' as const, 'to-lport' as const),
          priority: fc.integer({ min: 1000, max: 1003 }),
          tier: fc.constantFrom(null, 1, 2),
          afterLb: fc.boolean(),
        }),
        { maxLength: 25 },
      ),
      // Groups whose policies select the same pods: the compiler hands them one frozen list of
      // ports (the program walks each list once for all its groups).
      shared: fc.constantFrom(0, 1, 2),
    });
    fc.assert(
      fc.property(spec, ({ members, rows: specs, shared }) => {
        // The ACLs' own group holds a port: rows of an empty group apply nowhere.
        const lists = members.map((m, i) => Object.freeze((i === 0 ? [...new Set([...m, 'a'])] : [...m]).sort()));
        if (shared >= 1) lists[1] = lists[0]!;
        if (shared >= 2) lists[2] = lists[1]!;
        const groups = new Map<string, readonly string[]>([...lists.map((m, i) => [GROUPS[i]!, m] as const), ['empty', []]]);
        const nb: NbRows = {
          ...emptyNbRows,
          portGroups: [...groups].map(([name, ports]) => PortGroupRow({ name, ports, externalIds: {} })),
          acls: specs.map((s, i) => row(s.match, s.direction, s.priority, s.tier, s.afterLb, i)),
        };
        const groupPorts = new Map(nb.portGroups.map((pg) => [pg.name, pg.ports] as const));
        if (shared >= 1) expect(groupPorts.get('g2')).toBe(groupPorts.get('g1'));
        const program = buildAclProgram(nb, new Map());
        for (const stage of ACL_STAGES) {
          for (const inport of [...PORTS, '', '(router port)']) {
            for (const outport of [...PORTS, '']) {
              const expected = program.stages[stage].filter((acl) => {
                const ports = admitted(acl, groupPorts);
                return ports === null || ports.has(acl.binding!.field === 'inport' ? inport : outport);
              });
              expect(program.candidates(stage, inport, outport).map((acl) => acl.row.name)).toEqual(expected.map((acl) => acl.row.name));
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
