import {
  classMatrix,
  expandClassMatrix,
  formatMatrix,
  formatReportMarkdown,
  matrixPage,
  reachabilityMatrix,
  renderReportHtml,
  type MatrixProbe,
  type ReachabilityMatrix,
} from '@ovn-nbgen/core/explain';
import { EXIT_OK, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { UNNAMED_PORT_NAMESPACE } from '../live/liveInventory.js';
import { readLiveSource, wantsLiveNb, type LiveSourceFlagValues } from '../live/liveSource.js';
import { COMPILE_FLAGS_HELP, DB_FLAGS_HELP, INPUT_FLAGS_HELP, judgeFlags } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';
import { compiledModel, parsePortNumber, parseProtocol } from './explain.js';

export const matrixCommand: Command = {
  summary: 'print the pod-to-pod reachability tables the compiled rows give (offline, or a live NB with --db)',
  usage: `nbgen matrix -f PATH... [--ports 80,81] [--protocols TCP,UDP] [--node-ports] [-o text|json|markdown|html] [flags]
       nbgen matrix --db REMOTE [-f PATH...] [--ports 80,81] [--port-name CONVENTION] [-o text|json] [flags]

Judges every pod to every pod (pods with an OVN port) like \`nbgen explain\`, one table per
protocol and port, like the upstream NetworkPolicy e2e prints them: rows are sources, columns
destinations, "." allowed, "X" denied. Columns are numbered after the rows when the pod names do
not fit. A pod always reaches itself (loopback never enters OVN). Pods with the same namespace
labels, pod labels, named ports and families (and CIDR membership) are judged once, as a class.
markdown and html show one row and column per such workload (with its pod count): html is one
self-contained page (no network access) grouped by namespace, in colour, with the deciding rule
of a cell on hover or click, a legend and the totals.

      --ports LIST       destination ports, comma-separated (default 80)
      --protocols LIST   TCP, UDP, SCTP, ICMP, comma-separated (default TCP)
      --node-ports       also every pod to the NodePorts of every Node (node:NODE:nodePort) and
                         every LoadBalancer ingress IP (IP:port), one more table judged as
                         \`nbgen explain --to node:NODE:PORT\` (needs Nodes and NodePort or
                         LoadBalancer Services in the input)
  -o, --output FORMAT    text (default), json, markdown or html
${INPUT_FLAGS_HELP}
${COMPILE_FLAGS_HELP}

With --db the tables are those of the live NB's rows (as \`nbgen explain --db\`): every switch port
with an address whose pod is known (by external_ids or --port-name), nothing written; judged per
pod pair (the live rows, not policies, decide which pods are alike), text or json.
${DB_FLAGS_HELP}

Examples:
  nbgen matrix -f examples/walkthrough/cluster.yaml -f examples/walkthrough/before --ports 80,8000
  nbgen matrix -f examples/nodeport --ports 8080 --node-ports`,
  async run(argv, io) {
    const { values } = parseCommandArgs('matrix', argv, {
      ...judgeFlags,
      ports: { type: 'string' },
      protocols: { type: 'string' },
      'node-ports': { type: 'boolean' },
      output: { type: 'string', short: 'o' },
    });
    const format = values.output ?? 'text';
    if (!['text', 'json', 'markdown', 'html'].includes(format)) throw new UsageError(`--output: expected text, json, markdown or html, found ${JSON.stringify(format)}`, 'matrix');
    const ports = list(values.ports ?? '80').map((p) => parsePortNumber('matrix', '--ports', p));
    const protocols = [...new Set(list(values.protocols ?? 'TCP').map((p) => parseProtocol('matrix', p)))];
    const probes = protocols.flatMap((protocol): MatrixProbe[] =>
      protocol === 'ICMP' ? [{ protocol, port: null }] : ports.map((port) => ({ protocol, port })),
    );
    const nodePorts = values['node-ports'] === true;
    if (wantsLiveNb(values)) {
      if (nodePorts) throw new UsageError('--node-ports is not available with --db (the live NB has no Nodes or Services); use -f', 'matrix');
      if (format === 'markdown' || format === 'html') throw new UsageError(`--output ${format} is not available with --db (text or json)`, 'matrix');
      const matrix = await liveMatrix(values, probes, io);
      if (matrix.pods.length === 0) throw new UsageError('no pods with an OVN port and a known name in the NB', 'matrix');
      io.stdout(format === 'json' ? `${JSON.stringify(matrix, null, 2)}\n` : formatMatrix(matrix));
      return EXIT_OK;
    }
    const { model, rows, settings } = await compiledModel('matrix', values, io);
    const classes = classMatrix({ inventory: model, rows }, probes, { portNameFor: settings.compileOptions.portNameFor }, { nodePorts });
    if (classes.classes.length === 0) throw new UsageError('no pods with an OVN port (status.podIPs, not hostNetwork) in the input', 'matrix');
    if (nodePorts && !classes.nodePorts) throw new UsageError('--node-ports needs a Node with an address and a NodePort or LoadBalancer Service in the input; found none', 'matrix');
    if (format === 'html') io.stdout(renderReportHtml(matrixPage(classes)));
    else if (format === 'markdown') io.stdout(formatReportMarkdown(matrixPage(classes)));
    else if (format === 'json') io.stdout(`${JSON.stringify(expandClassMatrix(classes), null, 2)}\n`);
    else io.stdout(formatMatrix(expandClassMatrix(classes)));
    return EXIT_OK;
  },
};

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
