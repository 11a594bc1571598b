import { formatMatrix, reachabilityMatrix, type MatrixProbe, type ReachabilityMatrix } from '@ovn-nbgen/core';
import { EXIT_OK, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { UNNAMED_PORT_NAMESPACE } from '../live/liveInventory.js';
import { readLiveSource, wantsLiveNb, type LiveSourceFlagValues } from '../live/liveSource.js';
import { COMPILE_FLAGS_HELP, compileFlags, DB_FLAGS_HELP, dbFlags, INPUT_FLAGS_HELP, inputFlags } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';
import { compiledModel, outputFormat, parsePortNumber, parseProtocol } from './explain.js';

export const matrixCommand: Command = {
  summary: 'print the pod-to-pod reachability tables the compiled rows give (offline, or a live NB with --db)',
  usage: `nbgen matrix -f PATH... [--ports 80,81] [--protocols TCP,UDP] [-o text|json] [flags]
       nbgen matrix --db REMOTE [-f PATH...] [--ports 80,81] [--port-name CONVENTION] [flags]

Judges every pod to every pod (pods with an OVN port) like \`nbgen explain\`, one table per
protocol and port, like the upstream NetworkPolicy e2e prints them: rows are sources, columns
destinations, "." allowed, "X" denied. Columns are numbered after the rows when the pod names do
not fit. A pod always reaches itself (loopback never enters OVN).

      --ports LIST       destination ports, comma-separated (default 80)
      --protocols LIST   TCP, UDP, SCTP, ICMP, comma-separated (default TCP)
  -o, --output FORMAT    text (default) or json
${INPUT_FLAGS_HELP}
${COMPILE_FLAGS_HELP}

With --db the tables are those of the live NB's rows (as \`nbgen explain --db\`): every switch port
with an address whose pod is known (by external_ids or --port-name), nothing written.
${DB_FLAGS_HELP}

Example:
  nbgen matrix -f examples/walkthrough/cluster.yaml -f examples/walkthrough/before --ports 80,8000`,
  async run(argv, io) {
    const { values } = parseCommandArgs('matrix', argv, {
      ...inputFlags,
      ...compileFlags,
      ...dbFlags,
      ports: { type: 'string' },
      protocols: { type: 'string' },
      output: { type: 'string', short: 'o' },
    });
    const format = outputFormat('matrix', values.output);
    const ports = list(values.ports ?? '80').map((p) => parsePortNumber('matrix', '--ports', p));
    const protocols = [...new Set(list(values.protocols ?? 'TCP').map((p) => parseProtocol('matrix', p)))];
    const probes = protocols.flatMap((protocol): MatrixProbe[] =>
      protocol === 'ICMP' ? [{ protocol, port: null }] : ports.map((port) => ({ protocol, port })),
    );
    const matrix = wantsLiveNb(values) ? await liveMatrix(values, probes, io) : await offlineMatrix(values, probes, io);
    if (matrix.pods.length === 0) throw new UsageError('no pods with an OVN port (status.podIPs, not hostNetwork) in the input', 'matrix');
    io.stdout(format === 'json' ? `${JSON.stringify(matrix, null, 2)}\n` : formatMatrix(matrix));
    return EXIT_OK;
  },
};

async function offlineMatrix(values: Parameters<typeof compiledModel>[1], probes: readonly MatrixProbe[], io: CliIo): Promise<ReachabilityMatrix> {
  const { model, rows, settings } = await compiledModel('matrix', values, io);
  return reachabilityMatrix({ inventory: model, rows }, probes, { portNameFor: settings.compileOptions.portNameFor });
}

/** Pods without a name from the NB's conventions or -f are left out (they have no NS/POD to show). */
async function liveMatrix(values: LiveSourceFlagValues, probes: readonly MatrixProbe[], io: CliIo): Promise<ReachabilityMatrix> {
  const source = await readLiveSource('matrix', values, io);
  const inventory = { ...source.inventory, pods: source.inventory.pods.filter((p) => p.namespace !== UNNAMED_PORT_NAMESPACE) };
  return reachabilityMatrix({ inventory, rows: source.rows }, probes, { portNameFor: source.portNameFor });
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
