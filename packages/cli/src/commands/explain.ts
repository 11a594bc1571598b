import {
  compile,
  explanationToJson,
  explainFlow,
  FlowQueryError,
  formatExplanation,
  formatWarning,
  loadModel,
  type FlowExplanation,
  type FlowProtocol,
  type Model,
  type NbRows,
} from '@ovn-nbgen/core';
import { EXIT_FOUND, EXIT_OK, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { readManifestSources } from '../input/readSources.js';
import { COMPILE_FLAGS_HELP, compileFlags, compileSettings, INPUT_FLAGS_HELP, inputFlags, type CompileSettings } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';

export const explainCommand: Command = {
  summary: 'say why a connection is allowed or dropped, naming the policy and rule (offline)',
  usage: `nbgen explain -f PATH... --from SRC --to DST --port N [--protocol TCP] [-o text|json] [flags]

Compiles the manifests and judges one connection from the compiled ACL rows the way OVN does:
from-lport ACLs on the source's port (before the load balancer, then those with apply-after-lb
after DNAT), to-lport ACLs on the destination's port; per stage the ACL tiers in order, the
highest-priority matching row first, pass moving on to the next tier, no match meaning allow.
Prints the verdict, the deciding row with the policy and rule it came from, and the rows
considered. A Service VIP is judged once per endpoint pod, after DNAT to its target port.

      --from SRC         NAMESPACE/POD or an IP address
      --to DST           NAMESPACE/POD, an IP address, or svc:NAMESPACE/NAME:PORT (a Service VIP;
                         PORT is the Service port number or name); a ClusterIP is its Service's VIP
      --port N           destination port (the Service port with svc:)
      --protocol P       TCP (default), UDP, SCTP or ICMP (echo; no --port)
      --family 4|6       address family when both ends have both (default 4)
      --via NS/POD[:PORT]  the backend the load balancer picks (and its target port): judge only
                         that one; with a --to address no Service names, --to is taken as a
                         load-balancer VIP with this backend (as ovn-trace --lb-dst)
  -o, --output FORMAT    text (default) or json
${INPUT_FLAGS_HELP}
${COMPILE_FLAGS_HELP}

Exit status: 0 allowed, 1 denied (with svc:, unless every endpoint is allowed), 2 bad input.

Example:
  nbgen explain -f examples/walkthrough --from shop/client --to svc:shop/web:80 --port 80`,
  async run(argv, io) {
    const { values } = parseCommandArgs('explain', argv, {
      ...inputFlags,
      ...compileFlags,
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
    const { model, rows, settings } = await compiledModel('explain', values, io);
    let explanation: FlowExplanation;
    try {
      explanation = explainFlow(
        { inventory: model, rows },
        { from: values.from, to: values.to, port, protocol, ...(family ? { family } : {}), ...(via ? { via } : {}) },
        { portNameFor: settings.compileOptions.portNameFor },
      );
    } catch (error) {
      if (error instanceof FlowQueryError) throw new UsageError(`--${error.message}`, 'explain');
      throw error;
    }
    io.stdout(format === 'json' ? `${JSON.stringify(explanationToJson(explanation), null, 2)}\n` : formatExplanation(explanation));
    return explanation.verdict === 'allow' ? EXIT_OK : EXIT_FOUND;
  },
};

export interface CompiledModel {
  readonly model: Model;
  readonly rows: NbRows;
  readonly settings: CompileSettings;
}

/** -f → model → rows, with compile warnings on stderr (explain and matrix judge these rows). */
export async function compiledModel(
  command: string,
  values: Parameters<typeof compileSettings>[1] & { readonly filename?: string[] | undefined },
  io: CliIo,
): Promise<CompiledModel> {
  const settings = compileSettings(command, values);
  const { model } = loadModel(await readManifestSources(command, values.filename, io));
  const { rows, warnings } = compile(model, settings.compileOptions);
  for (const w of warnings) io.stderr(`${formatWarning(w)}\n`);
  return { model, rows, settings };
}

export function outputFormat(command: string, value: string | undefined): 'text' | 'json' {
  const format = value ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--output: expected text or json, found ${JSON.stringify(format)}`, command);
  return format;
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

function parsePort(command: string, text: string | undefined, to: string): number {
  if (text === undefined) {
    // With svc:NS/NAME:PORT the port is already there; a number there is the default.
    const m = /^svc:[^:]+:([0-9]+)$/.exec(to);
    if (m) return parsePortNumber(command, '--to', m[1]!);
    throw new UsageError('--port is required (except for --protocol ICMP)', command);
  }
  return parsePortNumber(command, '--port', text);
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
