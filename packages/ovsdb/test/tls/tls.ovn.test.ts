/**
 * `ssl:` remotes against a real ovsdb-server 3.1 listening on `pssl:` with `ovs-pki` certificates.
 * ovs-pki certificates name "server id:<date>", not 127.0.0.1: the connection works only because
 * the CA chain is verified without a host name check, as OVS does.
 */
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPki,
  makeTempDir,
  removeTempDir,
  startStandaloneNb,
  stopAllOvsdbServers,
  type Pki,
  type StandaloneNb,
} from '../../../../test/harness/ovsdbServer.js';
import { OvsdbError, type TlsFiles } from '../../src/index.js';
import { connectChannel, type OvsdbSession } from '../../src/subpaths/session.js';
import { parseRemote } from '../../src/remotes/parseRemotes.js';
import { openSocket } from '../../src/session/openSocket.js';

let dir: string;
let pki: Pki;
/** A second, unrelated CA with its own client certificate. */
let otherPki: Pki;
let nb: StandaloneNb;
const sessions: OvsdbSession[] = [];

beforeAll(async () => {
  dir = await makeTempDir('nbgen-tls-');
  pki = await createPki(`${dir}`);
  const otherDir = await makeTempDir('nbgen-tls-other-');
  otherPki = await createPki(otherDir);
  nb = await startStandaloneNb({ unix: false, ssl: pki });
});

afterAll(async () => {
  await Promise.all(sessions.map((session) => session.close()));
  await nb?.stop();
  await stopAllOvsdbServers();
  await removeTempDir(dir);
  if (otherPki) await removeTempDir(otherPki.dir);
});

function open(tls: TlsFiles): OvsdbSession {
  const session = connectChannel({ remote: nb.remotes.ssl!, tls, maxConnectAttempts: 1 });
  sessions.push(session);
  return session;
}

async function failure(channel: OvsdbSession): Promise<OvsdbError> {
  const error = await channel.request('list_dbs', []).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(OvsdbError);
  return error as OvsdbError;
}

describe('ssl: remotes', () => {
  it('connects with the client certificate and the CA that signed the server certificate', async () => {
    const channel = open({ ...pki.client, caCertFile: pki.caCertFile });
    expect(await channel.request('list_dbs', [])).toEqual(['OVN_Northbound', '_Server']);
    expect(channel.server).toMatchObject({ model: 'standalone' });
  });

  it('refuses a server whose certificate the configured CA did not sign', async () => {
    const error = await failure(open({ ...pki.client, caCertFile: otherPki.caCertFile }));
    expect(error.code).toBe('OVSDB_CONNECT_FAILED');
    expect(error.message).toBe(
      `no usable OVSDB remote after 1 attempt(s); last: ${nb.remotes.ssl}: TLS: the server's certificate is not signed by the configured CA (SELF_SIGNED_CERT_IN_CHAIN)`,
    );
  });

  it('reports a client certificate the server does not trust (refused after the TLS 1.3 handshake)', async () => {
    const error = await failure(open({ ...otherPki.client, caCertFile: pki.caCertFile }));
    expect(error.code).toBe('OVSDB_CONNECT_FAILED');
    expect(error.message).toBe(
      `no usable OVSDB remote after 1 attempt(s); last: ${nb.remotes.ssl}: TLS: the server does not trust our client certificate's CA (ERR_SSL_TLSV1_ALERT_UNKNOWN_CA)`,
    );
  });

  it('opens no TLS 1.3 socket before the server accepted the client certificate', async () => {
    // With TLS 1.3 our side of the handshake ends before the server judges our certificate: a
    // socket handed out then carries the first request into a connection the server is closing,
    // where the write can fail (write EPIPE) before the server's alert is read and the reason be
    // lost. The socket is ready only once the server sent its session ticket, or refused.
    const remote = parseRemote(nb.remotes.ssl!);
    const refused = await openSocket(remote, { ...otherPki.client, caCertFile: pki.caCertFile }, new AbortController().signal).then(
      (socket) => {
        socket.destroy();
        return undefined;
      },
      (reason: unknown) => reason,
    );
    expect(refused).toBeInstanceOf(OvsdbError);
    expect((refused as OvsdbError).message).toBe(`${nb.remotes.ssl}: TLS: the server does not trust our client certificate's CA (ERR_SSL_TLSV1_ALERT_UNKNOWN_CA)`);
    const accepted = await openSocket(remote, { ...pki.client, caCertFile: pki.caCertFile }, new AbortController().signal);
    expect((accepted as TLSSocket).getProtocol()).toBe('TLSv1.3');
    accepted.destroy();
  });

  it('names the TLS file it cannot read', async () => {
    const error = await failure(open({ ...pki.client, caCertFile: `${dir}/missing-ca.pem` }));
    expect(error.message).toMatch(/last: ssl:127\.0\.0\.1:\d+: cannot read TLS files: ENOENT: no such file or directory, open '.*missing-ca\.pem'$/);
  });
});
