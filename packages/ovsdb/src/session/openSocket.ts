import { connect as netConnect, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { OvsdbError } from '../errors.js';
import type { Remote } from '../remotes/parseRemotes.js';
import { describeTlsError, loadTlsCredentials, tlsConnectOptions, type TlsCredentials, type TlsFiles } from '../tls/tlsOptions.js';

/**
 * Opens the byte stream to one remote: a unix or TCP socket, or TLS over TCP for `ssl:`. Resolves
 * once bytes can flow (for TLS: after the handshake). The caller's AbortSignal cancels it (the
 * session's connect timer owns the deadline).
 *
 * With TLS 1.3 a server that refuses our client certificate does so AFTER the handshake completed
 * on our side: its alert (`ERR_SSL_TLSV1_ALERT_UNKNOWN_CA`, `..._CERTIFICATE_REQUIRED`) arrives
 * later. A request written before it would race it: the write can fail first (`write EPIPE`) and
 * the reason be lost. So a TLS 1.3 socket is ready only once the server has shown it accepted us:
 * its first session ticket, which OpenSSL servers (ovsdb-server) send right after checking our
 * certificate. A server that sends no ticket is taken as ready after TICKET_WAIT_MS, as before.
 */
/** How long a TLS 1.3 socket waits for the server's first session ticket before it is used anyway. */
const TICKET_WAIT_MS = 1000;

export async function openSocket(remote: Remote, tls: TlsFiles | undefined, signal: AbortSignal): Promise<Socket> {
  const connect = await prepareConnect(remote, tls);
  signal.throwIfAborted();
  // Create the socket and attach its listeners in the same tick, so no early 'error' goes unheard.
  const socket = connect();
  const readyEvent = remote.kind === 'ssl' ? 'secureConnect' : 'connect';

  return new Promise<Socket>((resolve, reject) => {
    let ticketSeen = false;
    let ticketTimer: ReturnType<typeof setTimeout> | undefined;
    let readyNext: ReturnType<typeof setImmediate> | undefined;
    const cleanUp = (): void => {
      clearTimeout(ticketTimer);
      clearImmediate(readyNext);
      socket.off(readyEvent, onConnected);
      socket.off('session', onTicket);
      socket.off('close', onClose);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const ready = (): void => {
      cleanUp();
      socket.setNoDelay(true);
      resolve(socket);
    };
    const onConnected = (): void => {
      if (remote.kind !== 'ssl' || ticketSeen || (socket as TLSSocket).getProtocol() !== 'TLSv1.3') {
        ready();
        return;
      }
      ticketTimer = setTimeout(ready, TICKET_WAIT_MS);
    };
    // Node calls this from within OpenSSL's read of the ticket: a write made before that read
    // returns corrupts the connection (the server answers "bad record mac"). So not before the
    // next turn of the event loop (a promise resolved here would run its callbacks too soon).
    const onTicket = (): void => {
      ticketSeen = true;
      if (ticketTimer !== undefined && readyNext === undefined) readyNext = setImmediate(ready);
    };
    const onError = (cause: Error): void => {
      cleanUp();
      socket.destroy();
      reject(connectError(remote, cause));
    };
    // A refusal without an alert (or after it was read): the server closed before accepting us.
    const onClose = (): void => onError(new Error('the server closed the connection during the TLS handshake'));
    const onAbort = (): void => {
      cleanUp();
      socket.destroy();
      reject(signal.reason);
    };
    socket.once(readyEvent, onConnected);
    if (remote.kind === 'ssl') {
      socket.on('session', onTicket);
      socket.once('close', onClose);
    }
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
