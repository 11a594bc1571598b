import { compile, formatWarning, type Capabilities, type NbRows, type Model } from '@ovn-nbgen/core';
import { OvsdbClient, parseRemotes, readLiveLayout, readLiveNb, readLiveNbForPorts, Reconciler, RemoteSyntaxError, type LiveNb, type TlsFiles } from '@ovn-nbgen/ovsdb/live';
import { UsageError } from './errors.js';
import { loadInput, type InputFlagValues } from './compileInput.js';
import type { CliIo } from './io.js';
import { compileSettings, type CompileFlagValues, type CompileSettings } from './options/common.js';
import { readLiveGatewayPorts } from './live/gatewayPorts.js';

/** What `diff` and `apply` share: manifests → model (before any connection), then the live NB. */
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

/** Reads and validates everything given on the command line; bad input fails before any connection. */
export async function readLiveInput(command: string, values: LiveFlagValues, io: CliIo): Promise<LiveInput> {
  if (values['ovn-version'] !== undefined) {
    throw new UsageError('--ovn-version does not apply: the target is read from the live schema', command);
  }
  const settings = compileSettings(command, values);
  const { remote, tls } = nbConnection(command, values);
  const model = await loadInput(command, values, io);
  return { model, settings, remote, tls };
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
 * Connects (a cluster is followed to its leader), monitors what planning needs and compiles with
 * the capabilities the served schema has.
 */
export async function withLiveNb<T>(
  input: LiveInput,
  io: CliIo,
  use: (reconciler: Reconciler, rows: NbRows) => Promise<T>,
): Promise<T> {
  return withReconciler(input, input.settings.compileOptions.owner, async (reconciler, client) => {
    const natGatewayPorts = await gatewayPortsFor(input, client);
    const compileOptions = { ...input.settings.compileOptions, ...natGatewayPorts };
    return use(reconciler, compileFor({ ...input, settings: { ...input.settings, compileOptions } }, reconciler.capabilities, io));
  });
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
  const client = await OvsdbClient.connect({
    ...(connection.remote !== undefined ? { remote: connection.remote } : {}),
    session: {
      ...(connection.tls ? { tls: connection.tls } : {}),
      maxConnectAttempts: 3,
      requestTimeoutMs: 120_000,
    },
  });
  try {
    const reconciler = await Reconciler.start(client, { owner, monitorTimeoutMs: 120_000 });
    try {
      return await use(reconciler, client);
    } finally {
      await reconciler.close();
    }
  } finally {
    await client.close();
  }
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
