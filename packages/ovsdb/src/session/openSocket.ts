import { connect as netConnect, type Socket } from 'node:net';
import { OvsdbError } from '../errors.js';
import type { Remote } from '../remotes/parseRemotes.js';
import { describeTlsError, loadTlsCredentials, tlsConnectOptions, type TlsCredentials, type TlsFiles } from '../tls/tlsOptions.js';

/**
 * Opens the byte stream to one remote: a unix or TCP socket, or TLS over TCP for `ssl:`. Resolves
 * once bytes can flow (for TLS: after the handshake). The caller's AbortSignal cancels it (the
 * session's connect timer owns the deadline).
 *
 * With TLS 1.3 a server that refuses our client certificate does so AFTER the handshake completed
 * on our side (`ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED` arrives as a later socket error); the
 * session treats any error before it accepted the remote as a failed connection attempt.
 */
export async function openSocket(remote: Remote, tls: TlsFiles | undefined, signal: AbortSignal): Promise<Socket> {
  const connect = await prepareConnect(remote, tls);
  signal.throwIfAborted();
  // Create the socket and attach its listeners in the same tick, so no early 'error' goes unheard.
  const socket = connect();
  const readyEvent = remote.kind === 'ssl' ? 'secureConnect' : 'connect';

  return new Promise<Socket>((resolve, reject) => {
    const cleanUp = (): void => {
      socket.off(readyEvent, onReady);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onReady = (): void => {
      cleanUp();
      socket.setNoDelay(true);
      resolve(socket);
    };
    const onError = (cause: Error): void => {
      cleanUp();
      socket.destroy();
      reject(connectError(remote, cause));
    };
    const onAbort = (): void => {
      cleanUp();
      socket.destroy();
      reject(signal.reason);
    };
    socket.once(readyEvent, onReady);
    socket.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Everything asynchronous before connecting (reading TLS files), then a synchronous connect. */
async function prepareConnect(remote: Remote, tls: TlsFiles | undefined): Promise<() => Socket> {
  switch (remote.kind) {
    case 'unix':
      return () => netConnect({ path: remote.path });
    case 'tcp':
      return () => netConnect({ host: remote.host, port: remote.port });
    case 'ssl': {
      if (tls === undefined) {
        throw new OvsdbError('OVSDB_CONNECT_FAILED', `${remote.text}: an ssl: remote needs TLS files (private key, certificate, CA)`);
      }
      let credentials: TlsCredentials;
      try {
        credentials = await loadTlsCredentials(tls);
      } catch (cause) {
        throw new OvsdbError('OVSDB_CONNECT_FAILED', `${remote.text}: cannot read TLS files: ${(cause as Error).message}`, { cause });
      }
      // Loaded here, not at start-up: node:tls with node:crypto takes ~3 ms that a unix or tcp
      // remote (every one-shot `nbgen diff` on the NB's host) never needs.
      const { connect: tlsConnect } = await import('node:tls');
      return () => tlsConnect(tlsConnectOptions(remote.host, remote.port, credentials, tls.serverName));
    }
  }
}

/** A connection-level failure with the remote's name and, for TLS trust problems, what is wrong. */
export function connectError(remote: Remote, cause: unknown): OvsdbError {
  const tlsProblem = describeTlsError(cause);
  const reason = tlsProblem ?? (cause as Error).message ?? String(cause);
  return new OvsdbError('OVSDB_CONNECT_FAILED', `${remote.text}: ${reason}`, { cause });
}
