import { isIP } from 'node:net';
import { isUuid } from '../notation/uuid.js';

/**
 * OVSDB remotes in OVS syntax (ovsdb(7) "Connection Methods"): `unix:PATH`, `tcp:HOST:PORT`,
 * `ssl:HOST:PORT`, IPv6 hosts in brackets (`tcp:[::1]:6641`). A Raft cluster is a comma-separated
 * list of remotes, optionally with a `cid:<uuid>` entry that pins the cluster id.
 *
 * @example
 *   parseRemotes('tcp:10.0.0.1:6641, tcp:10.0.0.2:6641,tcp:[fd00::3]:6641')
 *   // { remotes: [{kind:'tcp', host:'10.0.0.1', port:6641, text:'tcp:10.0.0.1:6641'}, ...] }
 */

export type Remote =
  | { readonly kind: 'unix'; readonly path: string; readonly text: string }
  | { readonly kind: 'tcp' | 'ssl'; readonly host: string; readonly port: number; readonly text: string };

export interface ParsedRemotes {
  readonly remotes: readonly Remote[];
  /** The cluster id from a `cid:` entry, when given: only a member of that cluster is accepted. */
  readonly clusterId?: string;
}

/** OVS's default port for `tcp:`/`ssl:` when none is given (OVN itself uses 6641 for NB). */
export const OVSDB_DEFAULT_PORT = 6640;

/** `ovn-nbctl`'s default: `$OVN_NB_DB`, else the NB socket in OVN's run directory. */
export const DEFAULT_NB_REMOTE = 'unix:/var/run/ovn/ovnnb_db.sock';

export function defaultNbRemotes(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const fromEnv = env['OVN_NB_DB'];
  return fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv : DEFAULT_NB_REMOTE;
}

export class RemoteSyntaxError extends Error {
  constructor(readonly remote: string, reason: string) {
    super(`invalid OVSDB remote "${remote}": ${reason}`);
    this.name = 'RemoteSyntaxError';
  }
}

/**
 * Splits a remote list the way `lib/ovsdb-session.c` does: only at a comma followed by optional
 * blanks and a lowercase method name with a colon (`, tcp:`), so a unix path may contain commas.
 */
export function splitRemoteList(text: string): string[] {
  const entries: string[] = [];
  let rest = text;
  for (;;) {
    rest = rest.replace(/^[ \t]+/, '');
    if (rest === '') {
      return entries;
    }
    const delimiter = nextRemoteDelimiter(rest);
    if (delimiter < 0) {
      entries.push(rest);
      return entries;
    }
    entries.push(rest.slice(0, delimiter));
    rest = rest.slice(delimiter + 1);
  }
}

function nextRemoteDelimiter(text: string): number {
  for (let comma = text.indexOf(','); comma >= 0; comma = text.indexOf(',', comma + 1)) {
    if (/^[ \t]*[a-z]+:/.test(text.slice(comma + 1))) {
      return comma;
    }
  }
  return -1;
}

export function parseRemotes(text: string): ParsedRemotes {
  const remotes: Remote[] = [];
  let clusterId: string | undefined;
  for (const entry of splitRemoteList(text)) {
    const trimmed = entry.replace(/[ \t]+$/, '');
    if (trimmed.startsWith('cid:') && clusterId === undefined && isUuid(trimmed.slice(4))) {
      clusterId = trimmed.slice(4).toLowerCase();
      continue;
    }
    remotes.push(parseRemote(trimmed));
  }
  if (remotes.length === 0) {
    throw new RemoteSyntaxError(text, 'no remote given');
  }
  return clusterId === undefined ? { remotes } : { remotes, clusterId };
}

export function parseRemote(text: string): Remote {
  const colon = text.indexOf(':');
  const method = colon < 0 ? text : text.slice(0, colon);
  const target = text.slice(colon + 1);
  switch (method) {
    case 'unix':
      if (target === '') {
        throw new RemoteSyntaxError(text, 'missing socket path');
      }
      return { kind: 'unix', path: target, text };
    case 'tcp':
    case 'ssl': {
      const { host, port } = parseHostPort(text, target);
      return { kind: method, host, port, text: `${method}:${formatHost(host)}:${port}` };
    }
    case 'punix':
    case 'ptcp':
    case 'pssl':
      throw new RemoteSyntaxError(text, `"${method}:" is a listening remote; a client connects with "${method.slice(1)}:"`);
    default:
      throw new RemoteSyntaxError(text, 'expected unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT');
  }
}

function parseHostPort(remote: string, target: string): { host: string; port: number } {
  let host: string;
  let portText: string | undefined;
  if (target.startsWith('[')) {
    const close = target.indexOf(']');
    if (close < 0) {
      throw new RemoteSyntaxError(remote, 'unterminated "[" in IPv6 address');
    }
    host = target.slice(1, close);
    const after = target.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) {
      throw new RemoteSyntaxError(remote, `unexpected "${after}" after "]"`);
    }
    portText = after === '' ? undefined : after.slice(1);
    if (isIP(host) !== 6) {
      throw new RemoteSyntaxError(remote, `"${host}" is not an IPv6 address`);
    }
  } else {
    const colon = target.indexOf(':');
    host = colon < 0 ? target : target.slice(0, colon);
    portText = colon < 0 ? undefined : target.slice(colon + 1);
    if (portText !== undefined && portText.includes(':')) {
      throw new RemoteSyntaxError(remote, 'an IPv6 address must be written in brackets, e.g. tcp:[::1]:6641');
    }
  }
  if (host === '') {
    throw new RemoteSyntaxError(remote, 'missing host');
  }
  const port = portText === undefined || portText === '' ? OVSDB_DEFAULT_PORT : Number(portText);
  if (!/^\d*$/.test(portText ?? '') || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RemoteSyntaxError(remote, `port must be 1..65535, got "${portText}"`);
  }
  return { host, port };
}

function formatHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

