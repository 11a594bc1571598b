/**
 * fast-check generators of raw OVN NB transactions over Port_Group, Address_Set, ACL,
 * Logical_Switch(_Port), Logical_Router/NAT and Load_Balancer — successful ones and ones that
 * fail for one reason each (constraint, referential integrity, duplicate index, failed wait,
 * bad type, unknown column, abort), so two servers can be compared step by step.
 *
 * Operations refer to rows of earlier transactions symbolically (`{ $ref: [table, k] }`: the
 * k-th row this backend reported inserting into `table`); `resolveRefs` turns them into the
 * backend's own UUIDs.
 */
import fc from 'fast-check';

export type RawOp = Record<string, unknown>;
/** Builds a group of operations; `uid` makes its uuid-names unique within the transaction. */
export type OpGroup = { readonly label: string; readonly build: (uid: string) => RawOp[] };
export type RefPlaceholder = { readonly $ref: readonly [table: string, k: number] };

export const NONEXISTENT_UUID = '11111111-1111-1111-1111-111111111111';

const pgName = fc.constantFrom('pg_a', 'pg_b', 'pg_c');
const asName = fc.constantFrom('as_a', 'as_b');
const lsName = fc.constantFrom('ls_a', 'ls_b');
const lspName = fc.constantFrom('lsp1', 'lsp2', 'lsp3');
const lbName = fc.constantFrom('lb1', 'lb2');
const address = fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', 'fd00::1');
const ref = (table: string) => fc.nat(20).map((k): RefPlaceholder => ({ $ref: [table, k] }));
const smallMap = fc.dictionary(fc.constantFrom('k1', 'k2', 'nbgen/owner'), fc.constantFrom('v1', 'v2', ''), { maxKeys: 2 });
const wireMap = (m: Record<string, string>) => ['map', Object.entries(m)];
const wireSet = (items: readonly unknown[]) => ['set', [...new Set(items.map((i) => JSON.stringify(i)))].map((s) => JSON.parse(s) as unknown)];

const aclRow = fc.record({
  priority: fc.integer({ min: 0, max: 32767 }),
  direction: fc.constantFrom('from-lport', 'to-lport'),
  match: fc.constantFrom('ip4', 'ip6', 'tcp.dst == 80', 'inport == @pg_a'),
  action: fc.constantFrom('allow', 'allow-related', 'drop', 'reject'),
  log: fc.boolean(),
  severity: fc.constantFrom(['set', []], 'info', 'alert'),
  external_ids: smallMap.map(wireMap),
});

/** One field made invalid in one way ovsdb-server reports. */
const aclBreakage = fc.constantFrom<[string, unknown]>(
  ['priority', 40000],
  ['priority', -1],
  ['action', 'zap'],
  ['direction', 'sideways'],
  ['name', 'n'.repeat(70)],
  ['priority', 'high'],
  ['severity', ['set', ['info', 'alert']]],
  ['label', -5],
  ['nope', 1],
);

const parentOfAcl = fc.oneof(
  pgName.map((name) => ({ table: 'Port_Group', name })),
  lsName.map((name) => ({ table: 'Logical_Switch', name })),
);

const groups: fc.Arbitrary<OpGroup>[] = [
  fc.record({ name: pgName, ids: smallMap }).map(({ name, ids }) => ({
    label: 'insert Port_Group',
    build: () => [{ op: 'insert', table: 'Port_Group', row: { name, external_ids: wireMap(ids) } }],
  })),
  fc.record({ acl: aclRow, parent: parentOfAcl }).map(({ acl, parent }) => ({
    label: `insert ACL into ${parent.table}`,
    build: (uid) => [
      { op: 'insert', table: 'ACL', row: acl, 'uuid-name': `acl${uid}` },
      { op: 'mutate', table: parent.table, where: [['name', '==', parent.name]], mutations: [['acls', 'insert', ['named-uuid', `acl${uid}`]]] },
    ],
  })),
  aclRow.map((acl) => ({ label: 'orphan ACL (garbage collected)', build: () => [{ op: 'insert', table: 'ACL', row: acl }] })),
  fc.record({ acl: aclRow, breakage: aclBreakage, parent: parentOfAcl }).map(({ acl, breakage, parent }) => ({
    label: `bad ACL ${breakage[0]}`,
    build: (uid) => [
      { op: 'insert', table: 'ACL', row: { ...acl, [breakage[0]]: breakage[1] }, 'uuid-name': `acl${uid}` },
      { op: 'mutate', table: parent.table, where: [['name', '==', parent.name]], mutations: [['acls', 'insert', ['named-uuid', `acl${uid}`]]] },
    ],
  })),
  fc.record({ name: asName, addresses: fc.array(address, { maxLength: 3 }) }).map(({ name, addresses }) => ({
    label: 'insert Address_Set',
    build: () => [{ op: 'insert', table: 'Address_Set', row: { name, addresses: wireSet(addresses) } }],
  })),
  fc.record({ name: asName, addresses: fc.array(address, { maxLength: 3 }) }).map(({ name, addresses }) => ({
    label: 'update Address_Set',
    build: () => [{ op: 'update', table: 'Address_Set', where: [['name', '==', name]], row: { addresses: wireSet(addresses) } }],
  })),
  fc
    .record({ name: asName, mutator: fc.constantFrom('insert', 'delete'), addresses: fc.array(address, { maxLength: 2 }), ids: smallMap, byKey: fc.boolean() })
    .map(({ name, mutator, addresses, ids, byKey }) => ({
      label: `mutate Address_Set ${mutator}`,
      build: () => [
        {
          op: 'mutate',
          table: 'Address_Set',
          where: [['name', '==', name]],
          mutations: [
            ['addresses', mutator, wireSet(addresses)],
            ['external_ids', mutator, mutator === 'delete' && byKey ? wireSet(Object.keys(ids)) : wireMap(ids)],
          ],
        },
      ],
    })),
  fc.record({ name: pgName, acl: ref('ACL') }).map(({ name, acl }) => ({
    label: 'mutate Port_Group acls delete',
    build: () => [{ op: 'mutate', table: 'Port_Group', where: [['name', '==', name]], mutations: [['acls', 'delete', acl]] }],
  })),
  pgName.map((name) => ({ label: 'delete Port_Group', build: () => [{ op: 'delete', table: 'Port_Group', where: [['name', '==', name]] }] })),
  fc.oneof(ref('ACL').map((r) => [['_uuid', '==', r]]), fc.integer({ min: 0, max: 32767 }).map((p) => [['priority', '>=', p]])).map((where) => ({
    label: 'delete ACL',
    build: () => [{ op: 'delete', table: 'ACL', where }],
  })),
  fc.record({ ls: lsName, lsp: lspName, addresses: fc.array(address, { maxLength: 2 }), fresh: fc.boolean() }).map(({ ls, lsp, addresses, fresh }) => ({
    label: fresh ? 'insert Logical_Switch with a port' : 'add a port to a Logical_Switch',
    build: (uid) => [
      { op: 'insert', table: 'Logical_Switch_Port', row: { name: lsp, addresses: wireSet(addresses) }, 'uuid-name': `lsp${uid}` },
      fresh
        ? { op: 'insert', table: 'Logical_Switch', row: { name: ls, ports: ['named-uuid', `lsp${uid}`] } }
        : { op: 'mutate', table: 'Logical_Switch', where: [['name', '==', ls]], mutations: [['ports', 'insert', ['named-uuid', `lsp${uid}`]]] },
    ],
  })),
  lsName.map((name) => ({ label: 'insert empty Logical_Switch', build: () => [{ op: 'insert', table: 'Logical_Switch', row: { name } }] })),
  fc.record({ pg: pgName, lsp: ref('Logical_Switch_Port') }).map(({ pg, lsp }) => ({
    label: 'weak ref: port into Port_Group',
    build: () => [{ op: 'mutate', table: 'Port_Group', where: [['name', '==', pg]], mutations: [['ports', 'insert', lsp]] }],
  })),
  lsName.map((name) => ({ label: 'delete Logical_Switch', build: () => [{ op: 'delete', table: 'Logical_Switch', where: [['name', '==', name]] }] })),
  fc.record({ ls: lsName, lsp: ref('Logical_Switch_Port') }).map(({ ls, lsp }) => ({
    label: 'remove a port from a Logical_Switch',
    build: () => [{ op: 'mutate', table: 'Logical_Switch', where: [['name', '==', ls]], mutations: [['ports', 'delete', lsp]] }],
  })),
  fc.record({ name: lbName, protocol: fc.constantFrom('tcp', 'udp', ['set', []]), vip: fc.constantFrom('10.96.0.1:80', '10.96.0.2:53') }).map(({ name, protocol, vip }) => ({
    label: 'insert Load_Balancer',
    build: () => [{ op: 'insert', table: 'Load_Balancer', row: { name, protocol, vips: ['map', [[vip, '10.0.0.1:8080']]] } }],
  })),
  fc.record({ ls: lsName, lb: ref('Load_Balancer'), router: fc.boolean() }).map(({ ls, lb, router }) => ({
    label: 'weak ref: load balancer into a switch or router',
    build: () => [
      router
        ? { op: 'mutate', table: 'Logical_Router', where: [['name', '==', 'lr1']], mutations: [['load_balancer', 'insert', lb]] }
        : { op: 'mutate', table: 'Logical_Switch', where: [['name', '==', ls]], mutations: [['load_balancer', 'insert', lb]] },
    ],
  })),
  lbName.map((name) => ({ label: 'delete Load_Balancer', build: () => [{ op: 'delete', table: 'Load_Balancer', where: [['name', '==', name]] }] })),
  fc.record({ type: fc.constantFrom('snat', 'dnat', 'dnat_and_snat', 'masquerade'), ip: address, fresh: fc.boolean() }).map(({ type, ip, fresh }) => ({
    label: `NAT ${type} on a router`,
    build: (uid) => [
      { op: 'insert', table: 'NAT', row: { type, external_ip: '172.16.0.1', logical_ip: ip }, 'uuid-name': `nat${uid}` },
      fresh
        ? { op: 'insert', table: 'Logical_Router', row: { name: 'lr1', nat: ['named-uuid', `nat${uid}`] } }
        : { op: 'mutate', table: 'Logical_Router', where: [['name', '==', 'lr1']], mutations: [['nat', 'insert', ['named-uuid', `nat${uid}`]]] },
    ],
  })),
  fc.record({ name: pgName, until: fc.constantFrom('==', '!='), expectRow: fc.boolean() }).map(({ name, until, expectRow }) => ({
    label: `wait ${until}`,
    build: () => [
      { op: 'wait', table: 'Port_Group', where: [['name', '==', name]], columns: ['name'], until, rows: expectRow ? [{ name }] : [], timeout: 0 },
    ],
  })),
  fc
    .record({ table: fc.constantFrom('Port_Group', 'Address_Set', 'ACL', 'Logical_Switch', 'Load_Balancer', 'NAT'), columns: fc.boolean() })
    .map(({ table, columns }) => ({
      label: `select ${table}`,
      build: () => [{ op: 'select', table, where: [], ...(columns ? { columns: ['_uuid', 'external_ids'] } : {}) }],
    })),
  fc.record({ mutator: fc.constantFrom('+=', '-=', '*=', '/=', '%='), k: fc.constantFrom(0, 1, 7, -20000, 40000, 2 ** 62, -(2 ** 62)) }).map(({ mutator, k }) => ({
    label: `ACL priority ${mutator} ${k}`,
    build: () => [{ op: 'mutate', table: 'ACL', where: [], mutations: [['priority', mutator, k]] }],
  })),
  pgName.map((name) => ({
    label: 'undeclared named-uuid',
    build: () => [{ op: 'mutate', table: 'Port_Group', where: [['name', '==', name]], mutations: [['acls', 'insert', ['named-uuid', 'ghost']]] }],
  })),
  pgName.map((name) => ({
    label: 'dangling strong reference',
    build: () => [{ op: 'mutate', table: 'Port_Group', where: [['name', '==', name]], mutations: [['acls', 'insert', ['uuid', NONEXISTENT_UUID]]] }],
  })),
  pgName.map((name) => ({
    label: 'duplicate index in one transaction',
    build: () => [
      { op: 'insert', table: 'Port_Group', row: { name } },
      { op: 'insert', table: 'Port_Group', row: { name } },
    ],
  })),
  fc.constantFrom<OpGroup>(
    { label: 'abort', build: () => [{ op: 'abort' }] },
    { label: 'comment', build: () => [{ op: 'comment', comment: 'nbgen differential' }] },
    { label: 'bad type', build: () => [{ op: 'insert', table: 'Port_Group', row: { name: 5 } }] },
    { label: 'unknown column', build: () => [{ op: 'insert', table: 'Address_Set', row: { name: 'as_x', nope: 1 } }] },
    { label: 'unknown table', build: () => [{ op: 'select', table: 'Nope', where: [] }] },
    { label: 'extra member', build: () => [{ op: 'select', table: 'ACL', where: [], frob: 1 }] },
    { label: 'unknown mutator', build: () => [{ op: 'mutate', table: 'ACL', where: [], mutations: [['priority', '^=', 1]] }] },
    { label: 'type mismatch in where', build: () => [{ op: 'select', table: 'ACL', where: [['match', '<', 'x']] }] },
    { label: 'set too large', build: () => [{ op: 'update', table: 'ACL', where: [], row: { severity: ['set', ['info', 'alert']] } }] },
  ),
];

/** Where clauses of every function on scalars, optional columns, sets and maps. */
const aclWhere = fc.oneof(
  fc.constant<unknown>(true),
  fc.constant<unknown>(false),
  fc.integer({ min: 0, max: 32767 }).chain((p) => fc.constantFrom('<', '<=', '>', '>=', '==', '!=').map((fn) => ['priority', fn, p])),
  fc.constantFrom('info', 'alert', ['set', []]).map((v) => ['severity', '==', v]),
  fc.constantFrom('includes', 'excludes').chain((fn) => smallMap.map((m) => ['external_ids', fn, wireMap(m)])),
  fc.constantFrom('ip4', 'ip6').map((m) => ['match', '!=', m]),
  ref('ACL').map((r) => ['_uuid', '==', r]),
);
const setWhere = fc.oneof(
  fc.constantFrom('includes', 'excludes', '==', '!=').chain((fn) => fc.array(address, { maxLength: 2 }).map((a) => ['addresses', fn, wireSet(a)])),
  fc.constantFrom('includes', 'excludes').chain((fn) => ref('ACL').map((r) => ['acls', fn, r])),
);

groups.push(
  fc.record({ clauses: fc.array(aclWhere, { maxLength: 3 }), columns: fc.boolean() }).map(({ clauses, columns }) => ({
    label: 'select ACL with conditions',
    build: () => [{ op: 'select', table: 'ACL', where: clauses, ...(columns ? { columns: ['priority', 'severity', 'external_ids'] } : {}) }],
  })),
  fc.record({ clause: setWhere, table: fc.constantFrom('Address_Set', 'Port_Group') }).map(({ clause, table }) => ({
    label: `select ${table} on a set column`,
    build: () => [{ op: 'select', table: clause[0] === 'acls' ? 'Port_Group' : 'Address_Set', where: [clause] }],
  })),
  fc.record({ clauses: fc.array(aclWhere, { maxLength: 2 }), row: fc.constantFrom<Record<string, unknown>>({ severity: 'warning' }, { log: true }, { name: 'acl-name' }, { severity: 'bogus' }, { priority: 40000 }, { meter: ['set', []] }) }).map(({ clauses, row }) => ({
    label: `update ACL ${Object.keys(row)[0]}`,
    build: () => [{ op: 'update', table: 'ACL', where: clauses, row }],
  })),
  fc.record({ clauses: fc.array(aclWhere, { maxLength: 2 }), ids: smallMap, byKey: fc.boolean(), mutator: fc.constantFrom('insert', 'delete') }).map(({ clauses, ids, byKey, mutator }) => ({
    label: `mutate ACL external_ids ${mutator}`,
    build: () => [
      { op: 'mutate', table: 'ACL', where: clauses, mutations: [['external_ids', mutator, mutator === 'delete' && byKey ? wireSet(Object.keys(ids)) : wireMap(ids)]] },
    ],
  })),
  fc.record({ clauses: fc.array(aclWhere, { maxLength: 2 }), expectedPriorities: fc.array(fc.integer({ min: 0, max: 32767 }), { maxLength: 2 }), until: fc.constantFrom('==', '!=') }).map(
    ({ clauses, expectedPriorities, until }) => ({
      label: `wait on ACL priorities ${until}`,
      build: () => [{ op: 'wait', table: 'ACL', where: clauses, columns: ['priority'], until, rows: expectedPriorities.map((priority) => ({ priority })), timeout: 0 }],
    }),
  ),
  // The differential test has each client take lock `held` before running a sequence.
  fc.constantFrom('held', 'other').map((lock) => ({ label: `assert lock ${lock}`, build: () => [{ op: 'assert', lock }] })),
  fc.record({ name: asName, uuid: fc.constantFrom('0a0a0a0a-0000-4000-8000-000000000001', '0a0a0a0a-0000-4000-8000-000000000002') }).map(({ name, uuid }) => ({
    label: 'insert with a chosen uuid',
    build: () => [{ op: 'insert', table: 'Address_Set', uuid, row: { name } }],
  })),
);

export const opGroup: fc.Arbitrary<OpGroup> = fc.oneof(...groups);

/** A transaction: 1–4 operation groups; uuid-names made unique by position. */
export const transaction: fc.Arbitrary<{ labels: string[]; ops: RawOp[] }> = fc.array(opGroup, { minLength: 1, maxLength: 4 }).map((gs) => ({
  labels: gs.map((g) => g.label),
  ops: gs.flatMap((g, i) => g.build(String(i))),
}));

export const transactionSequence = fc.array(transaction, { minLength: 1, maxLength: 10 });

/** Replaces `{ $ref: [table, k] }` by `["uuid", known[table][k mod n]]` (a nonexistent uuid when none). */
export function resolveRefs(value: unknown, known: ReadonlyMap<string, readonly string[]>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, known));
  if (value !== null && typeof value === 'object') {
    if ('$ref' in value) {
      const [table, k] = (value as RefPlaceholder).$ref;
      const list = known.get(table) ?? [];
      return ['uuid', list.length === 0 ? NONEXISTENT_UUID : (list[k % list.length] as string)];
    }
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, resolveRefs(v, known)]));
  }
  return value;
}
