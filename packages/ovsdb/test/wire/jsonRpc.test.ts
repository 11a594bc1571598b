import { describe, expect, it } from 'vitest';
import {
  classifyMessage,
  encodeErrorReply,
  encodeNotification,
  encodeReply,
  encodeRequest,
  parseMessage,
  rpcErrorToOvsdbError,
} from '../../src/index.js';

describe('classifying messages the way ovsdb-server sends them', () => {
  it('reads a success reply (result plus error null)', () => {
    expect(parseMessage('{"id":1,"result":["OVN_Northbound","_Server"],"error":null}')).toEqual({
      kind: 'reply',
      id: 1,
      result: ['OVN_Northbound', '_Server'],
    });
  });

  it('reads an error reply that has no result member, with an object error', () => {
    const text =
      '{"id":4,"error":{"syntax":"[\\"Nope\\"]","details":"transact request specifies unknown database Nope","error":"unknown database"}}';
    expect(parseMessage(text)).toEqual({
      kind: 'error',
      id: 4,
      error: { error: 'unknown database', details: 'transact request specifies unknown database Nope', syntax: '["Nope"]' },
    });
  });

  it('reads a bare string error', () => {
    expect(parseMessage('{"id":5,"error":"unknown method"}')).toEqual({ kind: 'error', id: 5, error: 'unknown method' });
  });

  it('treats error != null as an error even when result is present (RFC 7047 shape)', () => {
    expect(classifyMessage({ id: 6, result: null, error: 'canceled' })).toEqual({ kind: 'error', id: 6, error: 'canceled' });
  });

  it('reads a reply whose result is null as a reply', () => {
    expect(classifyMessage({ id: 7, result: null, error: null })).toEqual({ kind: 'reply', id: 7, result: null });
  });

  it('reads the server echo as a request with the id "echo"', () => {
    expect(parseMessage('{"id":"echo","method":"echo","params":[]}')).toEqual({
      kind: 'request',
      id: 'echo',
      method: 'echo',
      params: [],
    });
  });

  it('reads notifications with id null or without id', () => {
    expect(parseMessage('{"id":null,"method":"update2","params":["m1",{"ACL":{}}]}')).toEqual({
      kind: 'notification',
      method: 'update2',
      params: ['m1', { ACL: {} }],
    });
    expect(classifyMessage({ method: 'locked', params: ['lock1'] })).toEqual({
      kind: 'notification',
      method: 'locked',
      params: ['lock1'],
    });
  });

  it('rejects what is none of the four kinds as a protocol error', () => {
    for (const bad of ['[1]', '{"id":1}', '{"method":"update2","params":{}}', '{"result":1}', 'not json']) {
      expect(() => parseMessage(bad), bad).toThrowError(expect.objectContaining({ code: 'OVSDB_PROTOCOL' }) as Error);
    }
  });
});

describe('encoding messages ovsdb-server accepts', () => {
  it('writes requests as exactly {method, params, id}', () => {
    expect(JSON.parse(encodeRequest(3, 'transact', ['OVN_Northbound']))).toStrictEqual({
      method: 'transact',
      params: ['OVN_Northbound'],
      id: 3,
    });
  });

  it('writes notifications with id null and replies with error null, never a jsonrpc member', () => {
    expect(JSON.parse(encodeNotification('cancel', [3]))).toStrictEqual({ method: 'cancel', params: [3], id: null });
    expect(JSON.parse(encodeReply('echo', []))).toStrictEqual({ id: 'echo', result: [], error: null });
    expect(JSON.parse(encodeErrorReply(9, 'unknown method'))).toStrictEqual({ id: 9, result: null, error: 'unknown method' });
    for (const text of [encodeRequest(1, 'echo', []), encodeNotification('cancel', [1]), encodeReply(1, [])]) {
      expect(text).not.toContain('jsonrpc');
    }
  });
});

describe('error replies become OvsdbError OVSDB_RPC_ERROR', () => {
  it('keeps the server error string and details', () => {
    const error = rpcErrorToOvsdbError('transact', { error: 'unknown database', details: 'no Nope' });
    expect({ code: error.code, message: error.message, details: error.details }).toEqual({
      code: 'OVSDB_RPC_ERROR',
      message: 'transact: unknown database: no Nope',
      details: { serverError: 'unknown database', serverDetails: 'no Nope' },
    });
    expect(rpcErrorToOvsdbError('frob', 'unknown method').details).toEqual({ serverError: 'unknown method' });
  });
});
