/**
 * The rows the ovsdb bench writes: port groups of ACLs, deterministic (no clock, no randomness),
 * built two ways that put the same JSON on the wire — by our Transaction builder and by hand.
 */
import type { RowInput, Transaction } from '@ovn-nbgen/ovsdb';

export const DATABASE = 'OVN_Northbound';

export function pgName(group: number): string {
  return `pg_bench_${group}`;
}

/** ACL `index` of port group `group`, in decoded-JS form. */
export function aclRow(group: number, index: number): RowInput {
  const a = (index >> 8) & 255;
  const b = index & 255;
  return {
    priority: 1000 + (index % 1000),
    direction: index % 2 === 0 ? 'to-lport' : 'from-lport',
    match: `outport == @${pgName(group)} && ip4.src == 10.${group % 256}.${a}.${b}`,
    action: 'allow-related',
    external_ids: { 'nbgen/owner': `bench/${group}` },
  };
}

/** Our client: one Port_Group insert plus its ACLs through insertChildren (one parent mutate). */
export function addGroupsWithBuilder(txn: Transaction, firstGroup: number, groups: number, aclsPerGroup: number): void {
  for (let g = firstGroup; g < firstGroup + groups; g++) {
    const pg = txn.insert('Port_Group', { name: pgName(g) }, { uuidName: `pg${g}` });
    const rows = Array.from({ length: aclsPerGroup }, (_, i) => aclRow(g, i));
    txn.insertChildren('ACL', rows, {
      parent: { table: 'Port_Group', uuidName: pg },
      column: 'acls',
      uuidNames: rows.map((_, i) => `acl${g}_${i}`),
    });
  }
}

/** The raw baseline: the same operations written directly in OVSDB notation. */
export function addGroupsRaw(ops: unknown[], firstGroup: number, groups: number, aclsPerGroup: number): void {
  for (let g = firstGroup; g < firstGroup + groups; g++) {
    ops.push({ op: 'insert', table: 'Port_Group', row: { name: pgName(g) }, 'uuid-name': `pg${g}` });
    const names: unknown[] = [];
    for (let i = 0; i < aclsPerGroup; i++) {
      const row = aclRow(g, i) as { external_ids: Record<string, string> } & Record<string, unknown>;
      ops.push({
        op: 'insert',
        table: 'ACL',
        row: { ...row, external_ids: ['map', Object.entries(row.external_ids)] },
        'uuid-name': `acl${g}_${i}`,
      });
      names.push(['named-uuid', `acl${g}_${i}`]);
    }
    ops.push({
      op: 'mutate',
      table: 'Port_Group',
      where: [['_uuid', '==', ['named-uuid', `pg${g}`]]],
      mutations: [['acls', 'insert', names.length === 1 ? names[0] : ['set', names]]],
    });
  }
}
