import {
  compile,
  explanationToJson,
  explainFlow,
  FlowQueryError,
  formatExplanation,
  formatWarning,
  type CompileOptions,
  type FlowExplanation,
  type Model,
  type NbRows,
} from '@ovn-nbgen/core';
import type { FlowProtocol } from '@ovn-nbgen/core/explain';
import { canonicalIp, emulatedPassRows } from '@ovn-nbgen/core/model';
import { inCliTerms } from '../coreWording.js';
import { EXIT_FOUND, EXIT_OK, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { defaultNamespaceOf, loadInput, type InputFlagValues } from '../compileInput.js';
import { COMPILE_FLAGS_HELP, type CompileSettings, compileSettings, DB_FLAGS_HELP, INPUT_FLAGS_HELP, judgeFlags } from '../options/common.js';
import { attributedDecidingRows, formatAttribution } from '../live/attributionText.js';
import { readLiveSource, wantsLiveNb, type LiveSource } from '../live/liveSource.js';
import { portsCrossed } from '../live/portsCrossed.js';
import { outputFormat } from '../options/outputFormat.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';

export const explainCommand: Command = {
  summary: 'say why a connection is allowed or dropped, naming the policy and rule (offline, or a live NB with --db)',
  usage: `nbgen explain -f PATH... --from SRC --to DST --port N [--protocol TCP] [-o text|json] [flags]
       nbgen explain --db REMOTE [-f PATH...] --from SRC --to DST --port N [--port-name CONVENTION] [flags]

Compiles the manifests and judges one connection from the compiled ACL rows the way OVN does:
from-lport ACLs on the source's port (before the load balancer, then those with apply-after-lb
after DNAT), to-lport ACLs on the destination's port; per stage the ACL tiers in order, the
highest-priority matching row first, pass moving on to the next tier, no match meaning allow.
Prints the verdict, the deciding row with the policy and rule it came from, and the rows
considered. A Service VIP is judged once per endpoint pod, after DNAT to its target port.

      --from SRC         [NAMESPACE/]POD or an IP address (NAMESPACE defaults to -n)
      --to DST           [NAMESPACE/]POD, an IP address, or svc:[NAMESPACE/]NAME[:PORT] (a Service
                         VIP; PORT is the Service port number or name, else --port); a ClusterIP
                         is its Service's VIP; node:NODE:PORT (or a node address with --port a
                         nodePort) is the NodePort Service, judged in legs: the client's egress to
                         the node, kube-proxy's endpoint choice (Local: on NODE only; Cluster:
                         source becomes NODE's join address, annotation ovn.kubernetes.io/ip_address),
                         the endpoint's ingress (a LoadBalancer ingress IP with --port a Service
                         port likewise)
      --port N           destination port (the Service port with svc:, the nodePort with node:;
                         must agree with the PORT of --to)
      --protocol P       TCP (default), UDP, SCTP or ICMP (echo; no --port)
      --family 4|6       address family when both ends have both (default 4)
      --via NS/POD[:PORT]  the backend the load balancer picks (and its target port): judge only
                         that one; with a --to address no Service names, --to is taken as a
                         load-balancer VIP with this backend (as ovn-trace --lb-dst)
  -o, --output FORMAT    text (default) or json
${INPUT_FLAGS_HELP}
${COMPILE_FLAGS_HELP}

With --db the rows are the live NB's, whoever wrote them (read with select only, nothing is
written): ACLs of port groups and of logical switches, address sets, the switch ports' addresses
and the load balancers on the switch. -f is optional then and adds names (Pods, Services). A pod
is found by its port's external_ids (Kube-OVN pod=NS/POD, ovn-kubernetes namespace=NS) or its
name; an IP by the port that holds it. "Written by" names the object behind each deciding row
(nbgen, Kube-OVN, ovn-kubernetes conventions; docs/live-nb.md), or shows the row itself.
      --port-name CONVENTION  kube-ovn ({pod}.{namespace}), ovn-kubernetes ({namespace}_{pod}) or
                         a template (default: both, in that order)
${DB_FLAGS_HELP}

Exit status: 0 allowed, 1 denied (with svc:, unless every endpoint is allowed), 2 bad input, 4 NB unreachable (--db).

Example (denied: exit 1):
  nbgen explain -f examples/walkthrough/cluster.yaml -f examples/walkthrough/before --from shop/client --to svc:shop/web:80`,
  async run(argv, io) {
    const { values } = parseCommandArgs('explain', argv, {
      ...judgeFlags,
      from: { type: 'string' },
      to: { type: 'string' },
      port: { type: 'string' },
      protocol: { type: 'string' },
      family: { type: 'string' },
      via: { type: 'string' },
      output: { type: 'string', short: 'o' },
    });
    const format = outputFormat('explain', values.output);
    if (values.from === undefined || values.to === undefined) throw new UsageError('--from and --to are required', 'explain');
    const protocol = parseProtocol('explain', values.protocol ?? 'TCP');
    const port = protocol === 'ICMP' ? null : parsePort('explain', values.port, values.to);
    const family = parseFamily(values.family);
    const via = values.via === undefined ? undefined : parseVia(values.via);
    const namespace = defaultNamespaceOf('explain', values);
    const from = inNamespace(values.from, namespace);
    const to = withServicePort(inNamespace(values.to, namespace), port);
    const query = { from, to, port, protocol, ...(family ? { family } : {}), ...(via ? { via } : {}) };
    if (wantsLiveNb(values)) {
      const explainLive = (source: LiveSource, trail: boolean): FlowExplanation =>
        judged(() =>
          explainFlow({ inventory: source.inventory, rows: source.rows }, query, {
            portNameFor: source.portNameFor,
            serviceBackends: source.serviceBackends,
            trail,
          }),
        );
      // The flow judged on the layout alone (no ACLs: every path and leg is walked) names the
      // logical ports it crosses; only the ACLs that can apply to those are read (docs/live-nb.md).
      const source = await readLiveSource('explain', values, io, { focus: (layout) => portsCrossed(explainLive(layout, false)) });
      const explanation = inCliHints(explainLive(source, true));
      const attributed = attributedDecidingRows(explanation, source.live);
      io.stdout(
        format === 'json'
          ? `${JSON.stringify({ ...explanationToJson(explanation), writtenBy: attributed }, null, 2)}\n`
          : formatExplanation(explanation) + '\n' + formatAttribution(attributed, explanation.paths.length > 1),
      );
      return explanation.verdict === 'allow' ? EXIT_OK : EXIT_FOUND;
    }
    const { model, rows, settings } = await compiledModel('explain', values, io);
    const explanation = inCliHints(
      judged(() =>
        explainFlow({ inventory: model, rows, emulatedPasses: emulatedPassRows(model, settings.compileOptions) }, query, {
          portNameFor: settings.compileOptions.portNameFor,
        }),
      ),
    );
    io.stdout(format === 'json' ? `${JSON.stringify(explanationToJson(explanation), null, 2)}\n` : formatExplanation(explanation));
    return explanation.verdict === 'allow' ? EXIT_OK : EXIT_FOUND;
  },
};

/** Runs explain's engine; a query it cannot answer is bad input (exit 2). */
function judged(explain: () => FlowExplanation): FlowExplanation {
  try {
    return explain();
  } catch (error) {
    if (error instanceof FlowQueryError) throw new UsageError(`--${error.message}`, 'explain');
    throw error;
  }
}

export interface CompiledModel {
  readonly model: Model;
  readonly rows: NbRows;
  readonly settings: CompileSettings;
}

/** -f → model → rows, with compile warnings on stderr (explain and matrix judge these rows). */
export async function compiledModel(
  command: string,
  values: Parameters<typeof compileSettings>[1] & InputFlagValues,
  io: CliIo,
  onMatchTree?: CompileOptions['onMatchTree'],
): Promise<CompiledModel> {
  const settings = compileSettings(command, values);
  const model = await loadInput(command, values, io);
  const { rows, warnings } = compile(model, onMatchTree ? { ...settings.compileOptions, onMatchTree } : settings.compileOptions);
  for (const w of warnings) io.stderr(`${formatWarning(w)}\n`);
  return { model, rows, settings };
}

const PROTOCOLS: readonly FlowProtocol[] = ['TCP', 'UDP', 'SCTP', 'ICMP'];

export function parseProtocol(command: string, text: string): FlowProtocol {
  const upper = text.toUpperCase();
  if (!(PROTOCOLS as readonly string[]).includes(upper)) {
    throw new UsageError(`--protocol: expected TCP, UDP, SCTP or ICMP, found ${JSON.stringify(text)}`, command);
  }
  return upper as FlowProtocol;
}

export function parsePortNumber(command: string, flag: string, text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new UsageError(`${flag}: expected a port between 1 and 65535, found ${JSON.stringify(text)}`, command);
  }
  return Number(text);
}

/**
 * The destination port. With svc:NS/NAME:PORT or node:NODE:PORT the port is already there (a number there is the
 * default); a --port that says another number is refused rather than one of them silently winning.
 */
function parsePort(command: string, text: string | undefined, to: string): number {
  const inTo = /^(?:svc|node):[^:]+:([0-9]+)$/.exec(to)?.[1];
  const fromTo = inTo === undefined ? undefined : parsePortNumber(command, '--to', inTo);
  if (text === undefined) {
    if (fromTo !== undefined) return fromTo;
    throw new UsageError('--port is required (except for --protocol ICMP)', command);
  }
  const port = parsePortNumber(command, '--port', text);
  if (fromTo !== undefined && fromTo !== port) {
    throw new UsageError(`--to ${to} names ${to.startsWith('node:') ? 'nodePort' : 'Service port'} ${fromTo} but --port is ${port}: give one of them, or the same port`, command);
  }
  return port;
}

/** `svc:NS/NAME` with `--port N` is `svc:NS/NAME:N`, and so is the flow's header. */
function withServicePort(to: string, port: number | null): string {
  return port !== null && /^svc:[^:]+$/.test(to) ? `${to}:${port}` : to;
}

/**
 * `POD` → `NAMESPACE/POD` and `svc:NAME[:PORT]` → `svc:NAMESPACE/NAME[:PORT]` with the -n namespace,
 * as kubectl places names given without one; addresses and qualified names stay as given.
 */
function inNamespace(spec: string, namespace: string): string {
  if (canonicalIp(spec) !== null || spec.startsWith('node:')) return spec;
  if (spec.startsWith('svc:')) return spec.includes('/') ? spec : `svc:${namespace}/${spec.slice('svc:'.length)}`;
  return spec.includes('/') ? spec : `${namespace}/${spec}`;
}

function parseVia(text: string): { pod: string; port?: number } {
  const m = /^([^/\s:]+\/[^/\s:]+)(?::(\S+))?$/.exec(text);
  if (!m) throw new UsageError(`--via: expected NAMESPACE/POD[:PORT], found ${JSON.stringify(text)}`, 'explain');
  return m[2] === undefined ? { pod: m[1]! } : { pod: m[1]!, port: parsePortNumber('explain', '--via', m[2]) };
}

function parseFamily(text: string | undefined): 4 | 6 | undefined {
  if (text === undefined) return undefined;
  if (text !== '4' && text !== '6') throw new UsageError(`--family: expected 4 or 6, found ${JSON.stringify(text)}`, 'explain');
  return Number(text) as 4 | 6;
}

/** The hints with the commands and flags that do what they suggest (core words them in library terms). */
function inCliHints(explanation: FlowExplanation): FlowExplanation {
  return { ...explanation, hints: explanation.hints.map(inCliTerms) };
}
