// The table descriptors (core/src/tables) are the one source of what each owned table is: every
// column a descriptor declares must reach both writers — the live reconcile, which can only compare
// what its monitor reads, and the exported script — or this test fails.
import { capabilitiesForOvnVersion, DEFAULT_OWNER, renderNbctlScript, type NbRow } from '@ovn-nbgen/core';
import { encodeColumns, nbTables, type TableDescriptor } from '@ovn-nbgen/core/script';
import { describe, expect, it } from 'vitest';
import { stateMonitorTables } from '../../src/subpaths/reconcile.js';
import { sampleRows } from '../../../core/test/script/fixtures.js';

const capabilities = capabilitiesForOvnVersion('25.03');
const descriptors = Object.values(nbTables) as TableDescriptor<NbRow>[];
const monitored = stateMonitorTables(DEFAULT_OWNER, capabilities) as Record<string, readonly string[] | { readonly columns: readonly string[] }>;
const columnsOf = (table: string): readonly string[] => {
  const request = monitored[table];
  if (request === undefined) return [];
  return Array.isArray(request) ? request : (request as { columns: readonly string[] }).columns;
};

describe('every descriptor column reaches both writers', () => {
  it.each(descriptors.map((d) => [d.table, d] as const))('%s: the reconcile monitor reads each column, reference and holding set', (_table, d) => {
    const needed = [...d.columns.map((c) => c.name), ...d.references.map((r) => r.column)];
    expect(columnsOf(d.table)).toEqual(expect.arrayContaining(needed));
    if (d.parent) expect(columnsOf(d.parent.table)).toEqual(expect.arrayContaining(['name', d.parent.column]));
    for (const m of d.memberOf) expect(columnsOf(m.table)).toEqual(expect.arrayContaining(['name', m.column]));
    for (const r of d.references) expect(columnsOf(r.target)).toContain('name');
  });

  it.each(descriptors.map((d) => [d.table, d] as const))('%s: the exported script writes each column a row sets', (_table, d) => {
    const rows = sampleRows();
    const script = renderNbctlScript(rows, { owner: DEFAULT_OWNER, capabilities });
    const written = d.rowsOf(rows).flatMap((row) => encodeColumns(d, row, capabilities).filter((c) => !c.unset));
    expect(written.length).toBeGreaterThan(0);
    // Scalars and maps as `column=value` words of the row line, sets as a `values column ...` line.
    for (const c of written) expect(script).toMatch(c.spec.type === 'set' ? new RegExp(`^values ${c.name}\\b`, 'm') : new RegExp(`\\b${c.name}=`));
  });

  it('monitors only owned rows of tables whose names are not unique, and every row of the others', () => {
    for (const d of descriptors) {
      const request = monitored[d.table]!;
      expect([d.table, Array.isArray(request) ? 'all' : 'owned']).toEqual([d.table, d.uniqueName ? 'all' : 'owned']);
    }
  });
});
