import { describe, expect, it } from 'vitest';
import { Transaction, type Uuid } from '../../src/index.js';
import { parseTransactResult } from '../../src/subpaths/notation.js';
import { nbSchema, U1, U2, U3 } from '../client/fakeChannel.js';

const schema = nbSchema();
const acl = { priority: 1001, direction: 'to-lport', match: 'outport == @pg_web && ip4', action: 'allow-related' } as const;

describe('Transaction builder', () => {
  it('builds every operation kind in OVSDB notation, in order', () => {
    const txn = new Transaction(schema);
    const pg = txn.insert('Port_Group', { name: 'pg_web', external_ids: { 'nbgen/owner': 'np:prod/web' } }, { uuidName: 'pg' });
    txn.select('Port_Group', [['name', '==', 'pg_web']], ['name', 'acls']);
    txn.update('Port_Group', [['_uuid', '==', U1 as Uuid]], { external_ids: {} });
    txn.mutate('Port_Group', [['name', '==', 'pg_web']], [
      ['acls', 'delete', [U2 as Uuid]],
      ['external_ids', 'delete', ['stale']],
      ['external_ids', 'insert', { fresh: '1' }],
    ]);
    txn.mutate('NB_Global', [], [['nb_cfg', '+=', 1]]);
    txn.delete('Address_Set', [['name', '==', 'as_old']]);
    txn.wait('Port_Group', { where: [['_uuid', '==', U1 as Uuid]], columns: ['acls'], until: '==', rows: [{ acls: [U2 as Uuid, U3 as Uuid] }], timeoutMs: 0 });
    txn.comment('nbgen sync');
    txn.assert('nbgen');
    expect(pg.ref).toEqual({ namedUuid: 'pg' });
    expect(txn.operations).toEqual([
      { op: 'insert', table: 'Port_Group', row: { name: 'pg_web', external_ids: ['map', [['nbgen/owner', 'np:prod/web']]] }, 'uuid-name': 'pg' },
      { op: 'select', table: 'Port_Group', where: [['name', '==', 'pg_web']], columns: ['name', 'acls'] },
      { op: 'update', table: 'Port_Group', where: [['_uuid', '==', ['uuid', U1]]], row: { external_ids: ['map', []] } },
      {
        op: 'mutate',
        table: 'Port_Group',
        where: [['name', '==', 'pg_web']],
        mutations: [
          ['acls', 'delete', ['uuid', U2]],
          ['external_ids', 'delete', 'stale'],
          ['external_ids', 'insert', ['map', [['fresh', '1']]]],
        ],
      },
      { op: 'mutate', table: 'NB_Global', where: [], mutations: [['nb_cfg', '+=', 1]] },
      { op: 'delete', table: 'Address_Set', where: [['name', '==', 'as_old']] },
      {
        op: 'wait',
        table: 'Port_Group',
        where: [['_uuid', '==', ['uuid', U1]]],
        columns: ['acls'],
        until: '==',
        rows: [{ acls: ['set', [['uuid', U2], ['uuid', U3]]] }],
        timeout: 0,
      },
      { op: 'comment', comment: 'nbgen sync' },
      { op: 'assert', lock: 'nbgen' },
    ]);
  });

  it('refuses a plain insert into a non-root table, naming the referrers', () => {
    const txn = new Transaction(schema);
    expect(() => txn.insert('ACL', acl)).toThrowError(
      expect.objectContaining({ code: 'OVSDB_SCHEMA', message: expect.stringMatching(/ACL is not a root table.*insertChild.*Logical_Switch\.acls, Port_Group\.acls/) }),
    );
    expect(txn.length).toBe(0);
  });

  it('insertChild adds the child to a parent inserted in the same transaction', () => {
    const txn = new Transaction(schema);
    const pg = txn.insert('Port_Group', { name: 'pg_web' });
    const child = txn.insertChild('ACL', acl, { parent: { table: 'Port_Group', uuidName: pg }, column: 'acls' });
    expect(txn.operations.slice(1)).toEqual([
      { op: 'insert', table: 'ACL', row: { ...acl }, 'uuid-name': child.ref.namedUuid },
      {
        op: 'mutate',
        table: 'Port_Group',
        where: [['_uuid', '==', ['named-uuid', pg.ref.namedUuid]]],
        mutations: [['acls', 'insert', ['named-uuid', child.ref.namedUuid]]],
      },
    ]);
  });

  it('insertChild into an existing parent first asserts the parent exists (wait, timeout 0)', () => {
    const txn = new Transaction(schema);
    txn.insertChild('ACL', acl, { parent: { table: 'Port_Group', where: [['name', '==', 'pg_web']] }, column: 'acls' });
    expect(txn.operations[0]).toEqual({
      op: 'wait',
      table: 'Port_Group',
      where: [['name', '==', 'pg_web']],
      columns: [],
      until: '!=',
      rows: [],
      timeout: 0,
    });
    expect(txn.operationInfo.map((o) => o.kind)).toEqual(['wait', 'insert', 'mutate']);
  });

  it('insertChildren inserts many rows with ONE mutate of the parent', () => {
    const txn = new Transaction(schema);
    const pg = txn.insert('Port_Group', { name: 'pg_web' });
    const acls = txn.insertChildren('ACL', [acl, { ...acl, priority: 1002 }], { parent: { table: 'Port_Group', uuidName: pg }, column: 'acls' });
    expect(txn.operationInfo.map((o) => o.kind)).toEqual(['insert', 'insert', 'insert', 'mutate']);
    expect(txn.operations[3]).toEqual({
      op: 'mutate',
      table: 'Port_Group',
      where: [['_uuid', '==', ['named-uuid', pg.ref.namedUuid]]],
      mutations: [['acls', 'insert', ['set', acls.map((a) => ['named-uuid', a.ref.namedUuid])]]],
    });
  });

  it('insertWithChildren inserts the children, then the parent naming them: no mutate', () => {
    const txn = new Transaction(schema);
    const { parent, children } = txn.insertWithChildren('Port_Group', { name: 'pg_web', acls: [U1 as Uuid] }, [
      { column: 'acls', table: 'ACL', rows: [acl, { ...acl, priority: 1002 }] },
    ]);
    expect(txn.operationInfo.map((o) => `${o.kind} ${o.table}`)).toEqual(['insert ACL', 'insert ACL', 'insert Port_Group']);
    expect(txn.operations[2]).toEqual({
      op: 'insert',
      table: 'Port_Group',
      // References the row already held come first, then the new children.
      row: { name: 'pg_web', acls: ['set', [['uuid', U1], ...children[0]!.map((c) => ['named-uuid', c.ref.namedUuid])]] },
      'uuid-name': parent.ref.namedUuid,
    });
  });

  it('insertWithChildren refuses weak and unrelated columns', () => {
    const txn = new Transaction(schema);
    expect(() => txn.insertWithChildren('Port_Group', { name: 'p' }, [{ column: 'ports', table: 'Logical_Switch_Port', rows: [{ name: 'x' }] }])).toThrowError(
      /Port_Group\.ports is not a set of strong references to Logical_Switch_Port/,
    );
    expect(() => txn.insertWithChildren('Port_Group', { name: 'p' }, [{ column: 'acls', table: 'NAT', rows: [{}] }])).toThrowError(
      /Port_Group\.acls is not a set of strong references to NAT/,
    );
    // Bad rows, of the parent or of a child, are refused before anything is added.
    expect(() => txn.insertWithChildren('Port_Group', { name: 7 }, [{ column: 'acls', table: 'ACL', rows: [acl] }])).toThrowError(/Port_Group\.name/);
    expect(() => txn.insertWithChildren('Port_Group', { name: 'p' }, [{ column: 'acls', table: 'ACL', rows: [acl, { ...acl, priority: 'high' }] }])).toThrowError(
      /ACL\.priority/,
    );
    // A non-root parent would itself be an orphan: refused before its children are added.
    expect(() => txn.insertWithChildren('Logical_Router_Port', { name: 'lrp' }, [{ column: 'gateway_chassis', table: 'Gateway_Chassis', rows: [{}] }])).toThrowError(
      /Logical_Router_Port is not a root table/,
    );
    expect(txn.length).toBe(0);
  });

  it('insertWithChildren checks the parent with its new references: NB_Global.ssl holds at most one SSL row', () => {
    const ssl = { private_key: 'k', certificate: 'c', ca_cert: 'a' };
    // The row without the column (its references are added after the row's own columns).
    expect(() => new Transaction(schema).insertWithChildren('NB_Global', {}, [{ column: 'ssl', table: 'SSL', rows: [ssl, ssl] }])).toThrowError(/NB_Global\.ssl/);
    // The row holding the column already (its references then come first).
    expect(() => new Transaction(schema).insertWithChildren('NB_Global', { ssl: [] }, [{ column: 'ssl', table: 'SSL', rows: [ssl, ssl] }])).toThrowError(/NB_Global\.ssl/);
    // Refused before anything is added.
    const txn = new Transaction(schema);
    expect(() => txn.insertWithChildren('NB_Global', {}, [{ column: 'ssl', table: 'SSL', rows: [ssl, ssl] }])).toThrowError(
      'NB_Global.ssl holds at most 1: 2 references given',
    );
    expect(txn.length).toBe(0);
  });

  it('insertWithChildren takes the references a 0..1 column already holds as an array, as for any group column', () => {
    const ssl = { private_key: 'k', certificate: 'c', ca_cert: 'a' };
    // One held, none new: within the bound.
    const txn = new Transaction(schema);
    txn.insertWithChildren('NB_Global', { ssl: [U1 as Uuid] }, [{ column: 'ssl', table: 'SSL', rows: [] }]);
    expect(txn.operations).toHaveLength(1);
    expect(txn.operations[0]).toMatchObject({ op: 'insert', table: 'NB_Global', row: { ssl: ['uuid', U1] } });
    // None held, one new.
    const one = new Transaction(schema);
    one.insertWithChildren('NB_Global', { ssl: [] }, [{ column: 'ssl', table: 'SSL', rows: [ssl] }]);
    expect(one.length).toBe(2);
    // One held and one new: over the bound, refused before anything is added.
    const over = new Transaction(schema);
    expect(() => over.insertWithChildren('NB_Global', { ssl: [U1 as Uuid] }, [{ column: 'ssl', table: 'SSL', rows: [ssl] }])).toThrowError(
      'NB_Global.ssl holds at most 1: 2 references given',
    );
    expect(over.length).toBe(0);
    // What is held must still be references.
    expect(() => new Transaction(schema).insertWithChildren('NB_Global', { ssl: ['not a uuid'] }, [{ column: 'ssl', table: 'SSL', rows: [] }])).toThrowError(
      /^NB_Global\.ssl/,
    );
  });

  it('insertChild refuses weak, unrelated or ambiguous parents', () => {
    const txn = new Transaction(schema);
    expect(() =>
      txn.insertChild('Logical_Switch_Port', { name: 'p' }, { parent: { table: 'Port_Group', uuid: U1 as Uuid }, column: 'ports' }),
    ).toThrowError(/Port_Group\.ports is a weak reference/);
    expect(() => txn.insertChild('ACL', acl, { parent: { table: 'Port_Group', uuid: U1 as Uuid }, column: 'ports' })).toThrowError(
      /Port_Group\.ports is not a set of references to ACL/,
    );
    expect(() =>
      txn.insertChild('ACL', acl, { parent: { table: 'Port_Group', uuid: U1 as Uuid, where: [] }, column: 'acls' }),
    ).toThrowError(/exactly one of/);
    expect(() =>
      txn.insertChild('ACL', acl, { parent: { table: 'Port_Group', uuidName: { namedUuid: 'ghost' } }, column: 'acls' }),
    ).toThrowError(/ghost is not inserted by this transaction/);
  });

  it('keeps uuid-names unique: generated names skip chosen ones, a chosen name a generated one holds is refused', () => {
    const txn = new Transaction(schema);
    const chosen = txn.insert('Port_Group', { name: 'a' }, { uuidName: 'new_Port_Group_1' });
    const first = txn.insert('Port_Group', { name: 'b' });
    const second = txn.insert('Port_Group', { name: 'c' });
    expect([chosen.ref.namedUuid, first.ref.namedUuid, second.ref.namedUuid]).toEqual(['new_Port_Group_1', 'new_Port_Group_0', 'new_Port_Group_2']);
    expect(() => txn.insert('Port_Group', { name: 'd' }, { uuidName: 'new_Port_Group_2' })).toThrowError(/duplicate uuid-name new_Port_Group_2/);
    expect(() => txn.insert('Port_Group', { name: 'd' }, { uuidName: 'new_Port_Group_1' })).toThrowError(/duplicate uuid-name new_Port_Group_1/);
    // A generated name is a parent; names of the same shape never generated (or of another table) are not.
    txn.insertChild('ACL', acl, { parent: { table: 'Port_Group', uuidName: second }, column: 'acls' });
    for (const ghost of ['new_Port_Group_9', 'new_ACL_2', 'new_Port_Group_02', 'new__2']) {
      expect(() => txn.insertChild('ACL', acl, { parent: { table: 'Port_Group', uuidName: { namedUuid: ghost } }, column: 'acls' })).toThrowError(
        new RegExp(`${ghost} is not inserted by this transaction`),
      );
    }
    expect(txn.operationInfo.map((i) => i.label)).toEqual(['insert Port_Group', 'insert Port_Group', 'insert Port_Group', 'insert ACL', 'mutate Port_Group']);
  });

  it('leaves out of inserted rows the values leaveOutOnInsert names, and only of inserted rows', () => {
    const txn = new Transaction(schema, { leaveOutOnInsert: (value) => value === false || (Array.isArray(value) && value.length === 0) });
    const pg = txn.insert('Port_Group', { name: 'pg', ports: [] });
    txn.insertChild('ACL', { ...acl, log: false }, { parent: { table: 'Port_Group', uuidName: pg }, column: 'acls' });
    txn.update('ACL', [['_uuid', '==', U1 as Uuid]], { log: false });
    expect(txn.operations).toEqual([
      { op: 'insert', table: 'Port_Group', row: { name: 'pg' }, 'uuid-name': 'new_Port_Group_0' },
      { op: 'insert', table: 'ACL', row: { ...acl }, 'uuid-name': 'new_ACL_1' },
      { op: 'mutate', table: 'Port_Group', where: [['_uuid', '==', ['named-uuid', 'new_Port_Group_0']]], mutations: [['acls', 'insert', ['named-uuid', 'new_ACL_1']]] },
      { op: 'update', table: 'ACL', where: [['_uuid', '==', ['uuid', U1]]], row: { log: false } },
    ]);
  });

  it('validates rows before sending', () => {
    const txn = new Transaction(schema);
    expect(() => txn.insert('Port_Group', { name: 7 })).toThrowError(/Port_Group\.name/);
    expect(() => txn.update('Port_Group', [], { colour: 'red' })).toThrowError(/unknown column Port_Group\.colour/);
    expect(() => txn.select('Nope', [])).toThrowError(/unknown table Nope/);
    expect(() => txn.mutate('ACL', [], [['match', 'insert', 'x']])).toThrowError(/needs a set or map column/);
    // ovsdb-server answers `syntax error` for lock names that are not ids.
    expect(() => txn.assert('nbgen-lock')).toThrowError(/lock name "nbgen-lock" must match/);
  });
});

describe('parseTransactResult (RFC 7047 §4.1.3 + ovsdb-server)', () => {
  function twoOps() {
    const txn = new Transaction(schema);
    const pg = txn.insert('Port_Group', { name: 'pg' });
    const sel = txn.select('Port_Group', [], ['name', 'acls']);
    const mut = txn.mutate('Port_Group', [], [['external_ids', 'insert', { a: 'b' }]]);
    return { txn, pg, sel, mut };
  }

  it('returns typed per-operation results and the uuid-name map', () => {
    const { txn, pg, sel, mut } = twoOps();
    const result = parseTransactResult(schema, txn.operationInfo, [
      { uuid: ['uuid', U1] },
      { rows: [{ name: 'pg', acls: ['uuid', U2] }] },
      { count: 1 },
    ]);
    expect(result.uuidOf(pg)).toBe(U1);
    expect(result.get(pg)).toEqual({ uuid: U1 });
    expect(result.get(sel).rows).toEqual([{ name: 'pg', acls: [U2] }]);
    expect(result.get(mut).count).toBe(1);
  });

  it('reports the first failing operation by index; later slots are null', () => {
    const { txn } = twoOps();
    const raw = [{ uuid: ['uuid', U1] }, { error: 'constraint violation', details: 'bad' }, null];
    expect(() => parseTransactResult(schema, txn.operationInfo, raw)).toThrowError(
      expect.objectContaining({
        code: 'OVSDB_CONSTRAINT_VIOLATION',
        message: 'operation 1 (select Port_Group) failed: constraint violation: bad',
        details: { serverError: 'constraint violation', serverDetails: 'bad', operationIndex: 1 },
      }),
    );
  });

  it('reads n+1 results as a commit failure at operationIndex = operations.length', () => {
    const { txn } = twoOps();
    const raw = [{ uuid: ['uuid', U1] }, { rows: [] }, { count: 0 }, { error: 'referential integrity violation', details: 'dangling' }];
    expect(() => parseTransactResult(schema, txn.operationInfo, raw)).toThrowError(
      expect.objectContaining({ code: 'OVSDB_REFERENTIAL_INTEGRITY', details: expect.objectContaining({ operationIndex: 3 }) }),
    );
  });

  it.each([
    ['timed out', 'OVSDB_WAIT_FAILED'],
    ['referential integrity violation', 'OVSDB_REFERENTIAL_INTEGRITY'],
    ['not owner', 'OVSDB_OPERATION_FAILED'],
    ['syntax error', 'OVSDB_OPERATION_FAILED'],
  ])('maps %s to %s', (error, code) => {
    const { txn } = twoOps();
    expect(() => parseTransactResult(schema, txn.operationInfo, [{ error }, null, null])).toThrowError(
      expect.objectContaining({ code, details: expect.objectContaining({ operationIndex: 0 }) }),
    );
  });

  it('treats a short or malformed result array as a protocol error', () => {
    const { txn } = twoOps();
    expect(() => parseTransactResult(schema, txn.operationInfo, [{ uuid: ['uuid', U1] }])).toThrowError(
      expect.objectContaining({ code: 'OVSDB_PROTOCOL' }),
    );
    expect(() => parseTransactResult(schema, txn.operationInfo, { x: 1 })).toThrowError(expect.objectContaining({ code: 'OVSDB_PROTOCOL' }));
  });
});
