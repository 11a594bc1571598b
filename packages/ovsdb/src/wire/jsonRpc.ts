import { OvsdbError } from '../errors.js';

/**
 * JSON-RPC 1.0 as ovsdb-server speaks it (`lib/jsonrpc.c`).
 *
 * Outbound we emit exactly the members the server expects: a request is `{method, params, id}`, a
 * notification the same with `id: null`, a reply `{id, result, error: null}`. Any other member
 * (such as JSON-RPC 2.0's `jsonrpc`) makes ovsdb-server drop the connection.
 *
 * Inbound we classify the way `jsonrpc_msg_from_json` does, with one correction for how the server
 * really answers: an error reply carries `error` and usually no `result` at all, so a message is an
 * error whenever `error` is non-null, whatever `result` says.
 */

/** Request ids are any JSON value; ours are increasing integers, the server's echo uses "echo". */
export type JsonRpcId = unknown;

/** The `error` member of an error reply: a bare string or `{error, details?, syntax?}`. */
export type RpcErrorValue = string | { readonly error: string; readonly details?: string; readonly syntax?: string };

export type InboundMessage =
  | { readonly kind: 'reply'; readonly id: JsonRpcId; readonly result: unknown }
  | { readonly kind: 'error'; readonly id: JsonRpcId; readonly error: RpcErrorValue }
  | { readonly kind: 'request'; readonly id: JsonRpcId; readonly method: string; readonly params: readonly unknown[] }
  | { readonly kind: 'notification'; readonly method: string; readonly params: readonly unknown[] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function protocolError(message: string): OvsdbError {
  return new OvsdbError('OVSDB_PROTOCOL', message);
}

/** Reads the `error` member: a string, or an object whose `error` is a string. */
function readErrorValue(raw: unknown): RpcErrorValue {
  if (typeof raw === 'string') {
    return raw;
  }
  if (isPlainObject(raw) && typeof raw['error'] === 'string') {
    const details = typeof raw['details'] === 'string' ? raw['details'] : undefined;
    const syntax = typeof raw['syntax'] === 'string' ? raw['syntax'] : undefined;
    return {
      error: raw['error'],
      ...(details !== undefined ? { details } : {}),
      ...(syntax !== undefined ? { syntax } : {}),
    };
  }
  // Still an error: keep it visible rather than failing the session over its shape.
  return { error: 'unrecognized error', details: JSON.stringify(raw) };
}

function readParams(message: Record<string, unknown>, method: string): readonly unknown[] {
  const params = message['params'];
  if (!Array.isArray(params)) {
    throw protocolError(`"${method}" message has no params array`);
  }
  return params;
}

/**
 * Classifies one parsed inbound message. `null` members count as absent, as in `lib/jsonrpc.c`:
 * error != null ⇒ error; else `result` present ⇒ reply; else a method with a non-null id ⇒
 * request; else a method ⇒ notification. Throws OVSDB_PROTOCOL for anything else.
 */
export function classifyMessage(message: unknown): InboundMessage {
  if (!isPlainObject(message)) {
    throw protocolError(`expected a JSON-RPC message object, got ${Array.isArray(message) ? 'an array' : typeof message}`);
  }
  const id = message['id'] ?? null;
  const error = message['error'] ?? null;
  if (error !== null) {
    return { kind: 'error', id, error: readErrorValue(error) };
  }
  if ('result' in message) {
    if (id === null) {
      throw protocolError('reply without an id');
    }
    // A `result: null` reply with `error: null` is still a reply whose result is null.
    return { kind: 'reply', id, result: message['result'] };
  }
  const method = message['method'];
  if (typeof method !== 'string') {
    throw protocolError('message is neither a reply, an error, a request nor a notification');
  }
  const params = readParams(message, method);
  return id === null ? { kind: 'notification', method, params } : { kind: 'request', id, method, params };
}

/** Parses and classifies one frame's text; bad JSON is OVSDB_PROTOCOL. */
export function parseMessage(text: string): InboundMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new OvsdbError('OVSDB_PROTOCOL', `invalid JSON from server: ${(cause as Error).message}`, { cause });
  }
  return classifyMessage(value);
}

export function encodeRequest(id: number, method: string, params: readonly unknown[]): string {
  return JSON.stringify({ method, params, id });
}

export function encodeNotification(method: string, params: readonly unknown[]): string {
  return JSON.stringify({ method, params, id: null });
}

export function encodeReply(id: JsonRpcId, result: unknown): string {
  return JSON.stringify({ id, result, error: null });
}

/** The shape `jsonrpc_msg_to_json` gives a JSONRPC_ERROR message. */
export function encodeErrorReply(id: JsonRpcId, error: RpcErrorValue): string {
  return JSON.stringify({ id, result: null, error });
}

/** Turns an error reply into the OvsdbError a request rejects with. */
export function rpcErrorToOvsdbError(method: string, error: RpcErrorValue): OvsdbError {
  if (typeof error === 'string') {
    return new OvsdbError('OVSDB_RPC_ERROR', `${method}: ${error}`, { serverError: error });
  }
  const text = error.details !== undefined ? `${error.error}: ${error.details}` : error.error;
  return new OvsdbError('OVSDB_RPC_ERROR', `${method}: ${text}`, {
    serverError: error.error,
    ...(error.details !== undefined ? { serverDetails: error.details } : {}),
  });
}
