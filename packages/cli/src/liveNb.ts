import { compile, formatWarning, type Capabilities, type NbRows, type Model } from '@ovn-nbgen/core';
import {
  capabilitiesFromSchema,
  OvsdbClient,
  parseRemotes,
  readLiveNb,
  Reconciler,
  RemoteSyntaxError,
  type LiveNb,
  type SessionOptions,
  type TlsFiles,
} from '@ovn-nbgen/ovsdb';
import { readLiveLayout, readLiveNbForPorts } from '@ovn-nbgen/ovsdb/live';
import { connectChannel, type OvsdbSession } from '@ovn-nbgen/ovsdb/session';
import { UsageError } from './errors.js';
import { loadInput, type InputFlagValues } from './compileInput.js';
import type { CliIo } from './io.js';
import { compileSettings, type CompileFlagValues, type CompileSettings } from './options/common.js';
import { readLiveGatewayPorts } from './live/gatewayPorts.js';

/** What `diff` and `apply` share: manifests → model, then the live NB. */
export interface LiveFlagValues extends CompileFlagValues, InputFlagValues {
  readonly db?: string | undefined;
  readonly 'private-key'?: string | undefined;
  readonly certificate?: string | undefined;
  readonly 'ca-cert'?: string | undefined;
}

export interface LiveInput extends NbConnection {
  readonly model: Model;
  readonly settings: CompileSettings;
  readonly remote: string | undefined;
  readonly tls: TlsFiles | undefined;
}

/**
 * `diff` and `apply`: the flags and manifests (bad input refuses, exit 2, nothing written, whatever
 * the NB), then the live NB, compiled for and planned against. The connection and the monitor of
 * the owner's rows start before the manifests are read, so ovsdb-server composes its reply (a
 * second of its CPU at 35,000 owned rows) while nbgen validates and compiles, instead of after.
 * Input that is refused closes that connection unused: nothing is ever written before the plan.
 */
export async function withLiveNb<T>(
  command: string,
  values: LiveFlagValues,
  io: CliIo,
  use: (reconciler: Reconciler, rows: NbRows, input: LiveInput) => Promise<T>,
): Promise<T> {
  if (values['ovn-version'] !== undefined) {
    throw new UsageError('--ovn-version does not apply: the target is read from the live schema', command);
  }
  const settings = compileSettings(command, values);
  const connection = nbConnection(command, values);
  const nb = EarlyNb.open(connection, settings.compileOptions.owner);
  let input: LiveInput;
  try {
    // Reading and validating the manifests hold the CPU without a break (seconds at 50,000 pods):
    // the handshake (a few round trips) goes first, so the monitor request leaves before them.
    await nb.monitorRequested();
    input = { model: await loadInput(command, values, io), settings, ...connection };
  } catch (error) {
    await nb.close();
    throw error;
  }
  try {
    const client = await nb.client;
    const natGatewayPorts = await gatewayPortsFor(input, client);
    const compileOptions = { ...input.settings.compileOptions, ...natGatewayPorts };
    // One turn of the event loop: the monitor request leaves before the compile takes the CPU.
    await new Promise((resolve) => setImmediate(resolve));
    const rows = compileFor({ ...input, settings: { ...input.settings, compileOptions } }, capabilitiesFromSchema(client.schema), io);
    return await use(await nb.reconciler, rows, input);
  } finally {
    await nb.close();
  }
}

/** A client and a reconciler of the owner, started at once and awaited when needed. */
class EarlyNb {
  private constructor(
    private readonly channel: OvsdbSession,
    readonly client: Promise<OvsdbClient>,
    readonly reconciler: Promise<Reconciler>,
  ) {
    // Awaited by withLiveNb or settled by close(): a rejection seen by neither is not unhandled.
    client.catch(() => undefined);
    reconciler.catch(() => undefined);
  }

  static open(connection: NbConnection, owner: string): EarlyNb {
    const channel = connectChannel({ ...sessionOptions(connection), database: NB_DATABASE });
    const client = OvsdbClient.connect({ channel, database: NB_DATABASE });
    return new EarlyNb(channel, client, client.then((c) => startReconciler(c, owner)));
  }

  /**
   * Resolves once the monitor request has been sent or the connection failed; or when the NB has
   * not accepted the connection within ACCEPT_WAIT_MS (unreachable: the input is read and checked
   * meanwhile), or has not answered the handshake within HANDSHAKE_WAIT_MS of accepting it.
   * Waiting only until a fixed 50 ms had passed lost the race on a busy machine: the request then
   * left after the manifests were read and compiled, and ovsdb-server composed its reply (a
   * second of its CPU at 35,000 owned rows) after them instead of beside them.
   */
  async monitorRequested(): Promise<void> {
    const timers: ReturnType<typeof setTimeout>[] = [];
    const after = (ms: number) => new Promise<'late'>((resolve) => timers.push(setTimeout(() => resolve('late'), ms)));
    let stopListening = (): void => undefined;
    const accepted = new Promise<'accepted'>((resolve) => {
      if (this.channel.isConnected) resolve('accepted');
      else stopListening = this.channel.onConnected(() => resolve('accepted'));
    });
    // The monitor request is written in the microtasks that follow the client's handshake.
    const sent = this.client.then(
      () => new Promise<'sent'>((resolve) => setImmediate(() => resolve('sent'))),
      () => 'sent' as const,
    );
    try {
      const first = await Promise.race([sent, accepted, after(ACCEPT_WAIT_MS)]);
      if (first === 'accepted') await Promise.race([sent, after(HANDSHAKE_WAIT_MS)]);
    } finally {
      stopListening();
      for (const timer of timers) clearTimeout(timer);
    }
  }

  /**
   * Closes the reconciler and client if they came to be; a connection still being tried is
   * abandoned. A reconciler still starting fails with the closed channel (its monitor does not
   * wait for a reconnection of a channel closed on purpose), so awaiting it ends.
   */
  async close(): Promise<void> {
    await this.channel.close();
    await this.reconciler.then((r) => r.close(), () => undefined);
    await this.client.then((c) => c.close(), () => undefined);
  }
}

const NB_DATABASE = 'OVN_Northbound';
/** How long the input waits for the NB to accept the connection: a local NB does in a few ms. */
const ACCEPT_WAIT_MS = 250;
/** Then how long it waits for the rest of the handshake (schema, db-change-aware: two round trips). */
const HANDSHAKE_WAIT_MS = 1_000;

/**
 * How every one-shot live command connects: a few attempts instead of waiting forever, as
 * ovn-nbctl does, and no inactivity probe. Every request has a deadline, and ovsdb-server sends
 * nothing while it composes a big monitor reply or commits a big transaction (seconds, and on a
 * busy machine more than the 10 s a probe waits): a probe read the busy server as dead, and nbgen
 * reconnected and asked for the whole monitor again, over and over (a 35,000-row diff took a
 * minute under load average 12). `nbgen sync`, which runs for days, keeps the default probe.
 */
function sessionOptions(connection: NbConnection): SessionOptions {
  return {
    ...(connection.remote !== undefined ? { remote: connection.remote } : {}),
    ...(connection.tls ? { tls: connection.tls } : {}),
    maxConnectAttempts: 3,
    requestTimeoutMs: 120_000,
    probeIntervalMs: 0,
  };
}

export interface NbConnection {
  readonly remote: string | undefined;
  readonly tls: TlsFiles | undefined;
}

/** `--db` and the TLS flags, checked before any connection (undefined remote: $OVN_NB_DB, else the default socket). */
export function nbConnection(command: string, values: Omit<LiveFlagValues, keyof CompileFlagValues | keyof InputFlagValues>): NbConnection {
  const remote = values.db;
  if (remote !== undefined) {
    try {
      parseRemotes(remote);
    } catch (error) {
      if (error instanceof RemoteSyntaxError) throw new UsageError(`--db: ${error.message}`, command);
      throw error;
    }
  }
  const tlsGiven = [values['private-key'], values.certificate, values['ca-cert']].filter((x) => x !== undefined).length;
  if (tlsGiven !== 0 && tlsGiven !== 3) {
    throw new UsageError('--private-key, --certificate and --ca-cert go together', command);
  }
  const tls: TlsFiles | undefined =
    tlsGiven === 3
      ? { privateKeyFile: values['private-key']!, certificateFile: values.certificate!, caCertFile: values['ca-cert']! }
      : undefined;
  return { remote, tls };
}

export interface LiveReadOptions {
  /** Read only the ACLs that can apply to the logical ports this names, from the NB's layout. */
  readonly focus?: (layout: LiveNb) => Iterable<string>;
  /**
   * Work to do once the request is sent (a full read): ovsdb-server takes seconds to answer a
   * 100,000-row NB, during which this runs on the other core.
   */
  readonly whileReading?: () => void;
}

/**
 * Connects as withLiveNb does and reads the NB with selects only: all of it (matrix, test, audit),
 * or with `focus` the layout first and then only the ACLs that can apply to the logical ports
 * `focus` names from it (explain: the ports its flow crosses).
 */
export async function readLiveNbAt(target: NbConnection, options: LiveReadOptions = {}): Promise<LiveNb> {
  const { focus, whileReading } = options;
  const client = await OvsdbClient.connect({
    ...(target.remote !== undefined ? { remote: target.remote } : {}),
    // One request, bounded by its deadline: no inactivity probe. ovsdb-server answers nothing else
    // while it builds a reply of 100,000 rows (seconds), so an echo probe would read as a dead peer.
    session: { ...(target.tls ? { tls: target.tls } : {}), maxConnectAttempts: 3, requestTimeoutMs: 120_000, probeIntervalMs: 0 },
  });
  try {
    if (!focus) {
      const reading = readLiveNb(client);
      try {
        whileReading?.();
      } catch (error) {
        reading.catch(() => undefined); // the close below ends it; its failure is not the one to report
        throw error;
      }
      return await reading;
    }
    const layout = await readLiveLayout(client);
    return await readLiveNbForPorts(client, layout, focus(layout.live));
  } finally {
    await client.close();
  }
}

/**
 * A reconciler of `owner` on the NB of `connection`, closed afterwards. The connection gives up
 * after a few attempts instead of waiting forever, as ovn-nbctl does.
 */
export async function withReconciler<T>(
  connection: NbConnection,
  owner: string,
  use: (reconciler: Reconciler, client: OvsdbClient) => Promise<T>,
): Promise<T> {
  const { remote, ...session } = sessionOptions(connection);
  const client = await OvsdbClient.connect({ ...(remote !== undefined ? { remote } : {}), session });
  try {
    const reconciler = await startReconciler(client, owner);
    try {
      return await use(reconciler, client);
    } finally {
      await reconciler.close();
    }
  } finally {
    await client.close();
  }
}

/** One plan (or one per retry) and exit: nothing to remember between plans. */
function startReconciler(client: OvsdbClient, owner: string): Promise<Reconciler> {
  return Reconciler.start(client, { owner, monitorTimeoutMs: 120_000, remember: false });
}

/**
 * Gateway ports come from --gateway-port, else from the ConfigMap kube-system/ovn-external-gw-config
 * with the Vpc objects, else from the routers in the live NB: what they are is what NAT must name.
 */
async function gatewayPortsFor(input: LiveInput, client: OvsdbClient): Promise<{ natGatewayPorts?: Record<string, Record<string, string>> }> {
  if (input.settings.compileOptions.natGatewayPorts !== undefined) return {};
  const hasNat = input.model.nat.some((o) => o.kind === 'OvnFip' || o.kind === 'OvnSnatRule' || o.kind === 'OvnDnatRule');
  const hasConfig = input.model.nat.some((o) => o.kind === 'ExternalGatewayConfig');
  if (!hasNat || hasConfig) return {};
  return { natGatewayPorts: await readLiveGatewayPorts(client) };
}

function compileFor(input: LiveInput, capabilities: Capabilities, io: CliIo): NbRows {
  const result = compile(input.model, { ...input.settings.compileOptions, capabilities });
  for (const warning of result.warnings) io.stderr(`${formatWarning(warning)}\n`);
  return result.rows;
}
