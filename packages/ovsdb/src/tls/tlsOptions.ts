import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';

/**
 * TLS for `ssl:` remotes, with OVS semantics (`lib/stream-ssl.c`, ovn-nbctl `-p -c -C`):
 * the server's chain must verify against the CA file, but its host name is NOT checked (OVS never
 * does; `ovs-pki` certificates name a CN like "server id:2026-..." rather than a host), and we
 * always present a client certificate because ovsdb-server requires one.
 */
export interface TlsFiles {
  /** PEM private key of the client certificate (`--private-key`). */
  readonly privateKeyFile: string;
  /** PEM client certificate (`--certificate`). */
  readonly certificateFile: string;
  /** PEM CA certificate(s) the server's chain must verify against (`--ca-cert`). */
  readonly caCertFile: string;
  /** SNI to send (`--ssl-server-name`); defaults to the remote's host unless it is an IP address. */
  readonly serverName?: string;
}

export interface TlsCredentials {
  readonly key: Buffer;
  readonly cert: Buffer;
  readonly ca: Buffer;
}

/** Read at every connection attempt, so rotated certificate files take effect on reconnect. */
export async function loadTlsCredentials(files: TlsFiles): Promise<TlsCredentials> {
  const [key, cert, ca] = await Promise.all([
    readFile(files.privateKeyFile),
    readFile(files.certificateFile),
    readFile(files.caCertFile),
  ]);
  return { key, cert, ca };
}

export function tlsConnectOptions(
  host: string,
  port: number,
  credentials: TlsCredentials,
  serverName?: string,
): ConnectionOptions {
  const sni = serverName ?? (isIP(host) === 0 ? host : undefined);
  return {
    host,
    port,
    key: credentials.key,
    cert: credentials.cert,
    ca: credentials.ca,
    rejectUnauthorized: true,
    // Chain verification stays on; only the host name check is skipped, as OVS does.
    checkServerIdentity: () => undefined,
    minVersion: 'TLSv1.2',
    ...(sni !== undefined ? { servername: sni } : {}),
  };
}

/** Node/OpenSSL error codes that mean the peers do not trust each other's certificates. */
const CERTIFICATE_PROBLEMS: Readonly<Record<string, string>> = {
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate is not signed by the configured CA",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed and not the configured CA",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate is not signed by the configured CA",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's certificate is not signed by the configured CA",
  CERT_SIGNATURE_FAILURE: "the server's certificate signature does not verify",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  CERT_NOT_YET_VALID: "the server's certificate is not yet valid",
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the server requires a client certificate',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: "the server does not trust our client certificate's CA",
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'the server rejected our client certificate',
  ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR: 'the server rejected our client certificate',
};

/** A message that says what is wrong with the certificates, or undefined if it is not a TLS trust error. */
export function describeTlsError(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    return undefined;
  }
  const problem = CERTIFICATE_PROBLEMS[code];
  return problem === undefined ? undefined : `TLS: ${problem} (${code})`;
}
