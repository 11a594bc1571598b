/**
 * A small schema that is not OVN's, exercising what NB does not: a weak reference column with
 * min 1 (set and map value), maxRows, a two-column index, an immutable column, real and
 * constrained integer sets, a non-root table referencing itself. Used by the fast test (hand-written
 * expectations from ovsdb-server's wording) and the differential test against ovsdb-server.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LAB_SCHEMA_PATH = fileURLToPath(new URL('./fixtures/lab.ovsschema', import.meta.url));
export const LAB_SCHEMA_JSON: unknown = JSON.parse(readFileSync(LAB_SCHEMA_PATH, 'utf8'));

const favorite = (name: string) => ['named-uuid', name];

/** Transactions run in order on a fresh Lab database; each fails or succeeds for one reason. */
export const LAB_TRANSACTIONS: readonly (readonly unknown[])[] = [
  // two-column index, both rows inserted here
  [
    { op: 'insert', table: 'Target', row: { label: 't1' }, 'uuid-name': 't1' },
    { op: 'insert', table: 'Root', row: { name: 'a', zone: 1, favorite: favorite('t1'), serial: 's1' } },
    { op: 'insert', table: 'Root', row: { name: 'a', zone: 1, favorite: favorite('t1') } },
  ],
  // favorite defaults to the all-zeros UUID, a weak reference that cannot stay
  [{ op: 'insert', table: 'Root', row: { name: 'b', zone: 1 } }],
  [
    { op: 'insert', table: 'Target', row: { label: 't1' }, 'uuid-name': 't1' },
    {
      op: 'insert',
      table: 'Root',
      row: { name: 'c', zone: 1, favorite: favorite('t1'), serial: 's1', weights: ['set', [1.5, 2]], counts: ['set', [1, 2]], by_port: ['map', [[80, favorite('t1')]]] },
    },
  ],
  // deleting the only favorite empties a min-1 weak column
  [{ op: 'delete', table: 'Target', where: [] }],
  [{ op: 'update', table: 'Root', where: [], row: { serial: 'x' } }],
  [{ op: 'mutate', table: 'Root', where: [], mutations: [['serial', 'insert', 'x']] }],
  [{ op: 'mutate', table: 'Root', where: [], mutations: [['counts', '*=', 0]] }],
  [{ op: 'mutate', table: 'Root', where: [], mutations: [['counts', '+=', 9]] }],
  [{ op: 'mutate', table: 'Root', where: [], mutations: [['weights', '/=', 0]] }],
  [{ op: 'mutate', table: 'Root', where: [], mutations: [['weights', '%=', 2]] }],
  [{ op: 'mutate', table: 'Root', where: [], mutations: [['weights', '*=', 2], ['counts', '-=', 1]] }],
  [{ op: 'mutate', table: 'Root', where: [], mutations: [['favorite', 'delete', ['set', []]], ['by_port', 'delete', ['set', [80]]]] }],
  [
    { op: 'insert', table: 'Target', row: { label: 't2' } },
    { op: 'insert', table: 'Target', row: { label: 't3' } },
  ],
  [{ op: 'select', table: 'Root', where: [['weights', 'includes', 3]], columns: ['name', 'weights', 'counts', 'by_port'] }],
  [
    { op: 'insert', table: 'Child', row: { n: 1 }, 'uuid-name': 'c1' },
    { op: 'insert', table: 'Child', row: { n: 2, next: ['named-uuid', 'c1'] }, 'uuid-name': 'c2' },
    { op: 'mutate', table: 'Root', where: [['name', '==', 'c']], mutations: [['children', 'insert', ['named-uuid', 'c2']]] },
  ],
  // dropping the only reference collects the chain c2 → c1
  [
    { op: 'update', table: 'Root', where: [['name', '==', 'c']], row: { children: ['set', []] } },
    { op: 'select', table: 'Child', where: [], columns: ['n'] },
  ],
  [
    { op: 'select', table: 'Child', where: [], columns: ['n'] },
    { op: 'select', table: 'Root', where: [['zone', '<', 2], ['zone', '>=', 1]], columns: ['name'] },
  ],
  [
    { op: 'update', table: 'Root', where: [['name', '==', 'c']], row: { name: 'a' } },
    { op: 'insert', table: 'Root', row: { name: 'c', zone: 1, favorite: ['set', []] } },
  ],
  // an index clash with a row the transaction modified
  [
    { op: 'insert', table: 'Target', row: { label: 't9' }, 'uuid-name': 't9' },
    { op: 'insert', table: 'Root', row: { name: 'd', zone: 2, favorite: favorite('t9') } },
    { op: 'update', table: 'Root', where: [['name', '==', 'c']], row: { zone: 2, name: 'd' } },
  ],
  [{ op: 'insert', table: 'Root', row: { name: 'z', zone: 1, favorite: ['uuid', '00000000-0000-0000-0000-000000000000'] } }],
];
