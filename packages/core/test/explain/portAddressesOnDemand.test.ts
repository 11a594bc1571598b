import { describe, expect, it } from 'vitest';
import { buildAclProgram, type PortAddresses } from '../../src/explain/aclProgram.js';
import { judgeDirect } from '../../src/explain/path.js';
import { PortGroupRow, emptyNbRows, type NbRows } from '../../src/rows/index.js';
import { aclRow } from '../support/aclRow.js';

// The port → addresses map is only for OVN's automatic `<port group>_ip4`/`_ip6` address sets,
// which only tier passes read: given as a function, it is built when a row first reads such a
// set, once, and never for rows that read none (nbgen test on NetworkPolicies: 10,000 port names).

const ADDRESSES: PortAddresses = new Map([
  ['a', ['10.0.0.1']],
  ['b', ['10.0.0.2']],
  ['c', ['10.0.0.3']],
]);
const probe = { family: 4, protocol: 'tcp', sourcePort: 40000 } as const;

function rowsWith(...matches: [string, 'allow-related' | 'drop'][]): NbRows {
  return {
    ...emptyNbRows,
    portGroups: [PortGroupRow({ name: 'pg', ports: ['a', 'b'], externalIds: {} }), PortGroupRow({ name: 'dst', ports: ['c'], externalIds: {} })],
    acls: matches.map(([match, action], i) => aclRow({ portGroup: 'dst', direction: 'to-lport', priority: 2000 - i, match, action, externalIds: {} })),
  };
}

/** The program and how many times it asked for the map. */
function programOf(rows: NbRows) {
  let built = 0;
  const program = buildAclProgram(rows, () => {
    built++;
    return ADDRESSES;
  });
  return { program, built: () => built };
}

describe('buildAclProgram: port addresses on demand', () => {
  it('never builds the map when no row reads a port group address set', () => {
    const { program, built } = programOf(rowsWith(['outport == @dst && ip4.src == 10.0.0.1 && tcp.dst == 80', 'allow-related'], ['outport == @dst && ip4', 'drop']));
    expect(judgeDirect(program, probe, 'a', 'c', '10.0.0.1', '10.0.0.3', 80).verdict).toBe('allow');
    expect(judgeDirect(program, probe, 'b', 'c', '10.0.0.2', '10.0.0.3', 80).verdict).toBe('deny');
    expect(built()).toBe(0);
  });

  it('builds it once when a row reads `<pg>_ip4`, and judges by the ports\' addresses', () => {
    const { program, built } = programOf(rowsWith(['outport == @dst && ip4.src == $pg_ip4', 'allow-related'], ['outport == @dst && ip4', 'drop']));
    expect(judgeDirect(program, probe, 'a', 'c', '10.0.0.1', '10.0.0.3', 80).verdict).toBe('allow');
    expect(judgeDirect(program, probe, 'b', 'c', '10.0.0.2', '10.0.0.3', 80).verdict).toBe('allow');
    expect(judgeDirect(program, probe, 'c', 'c', '10.0.0.3', '10.0.0.3', 80).verdict).toBe('deny');
    expect(built()).toBe(1);
  });
});
