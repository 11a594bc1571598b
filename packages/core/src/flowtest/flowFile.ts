import { parse, YAMLParseError } from 'yaml';
import { InputError, type InputIssue, type SourceRef } from '../errors.js';
import type { ManifestSource } from '../manifests/documents.js';
import { parseJsonUniqueKeys } from '../manifests/jsonText.js';
import type { Verdict } from '../explain/evaluateStage.js';
import type { FlowProtocol, FlowQuery } from '../explain/explainFlow.js';

/** One flow a team relies on (or relies on being closed), as written in a flows file. */
export interface ExpectedFlow {
  readonly query: FlowQuery;
  readonly expect: Verdict;
  /** Where it was written: the file, and `[3]` or `flows[3]` (for error messages and reports). */
  readonly source: SourceRef;
  readonly path: string;
}

const FIELDS = ['from', 'to', 'port', 'protocol', 'family', 'expect'] as const;
const PROTOCOLS: readonly FlowProtocol[] = ['TCP', 'UDP', 'SCTP', 'ICMP'];

/**
 * A flows file: YAML or JSON, a list (or `{flows: [...]}`) of
 * `{from, to, port, protocol?, family?, expect: allow|deny}`. Every malformed flow is reported
 * (file, index and field), none is guessed: a typo must not turn a check into one that passes.
 *
 *   parseFlowFile({ name: 'flows.yaml', text: '- {from: shop/client, to: svc:shop/web:80, expect: allow}' })
 */
export function parseFlowFile(src: ManifestSource): ExpectedFlow[] {
  const source: SourceRef = { file: src.name, doc: 0 };
  const fail = (path: string, message: string): never => {
    throw new InputError([{ source, path, message }]);
  };
  // A JSON file is read with JSON.parse: 10,000 flows in tens of ms instead of the YAML parser's
  // second (the value is the one the YAML parser gives: test/flowtest/jsonFlowFile.differential).
  const fromJson = jsonFlows(src.text);
  if (fromJson !== undefined) return flowsOf(fromJson, source, fail);
  let value: unknown;
  try {
    value = parse(src.text);
  } catch (error) {
    if (error instanceof YAMLParseError) fail('', `YAML: ${error.message.split('\n')[0]}`);
    throw error;
  }
  return flowsOf(value, source, fail);
}

/** The flows of a parsed file, or an InputError naming every malformed one. */
function flowsOf(value: unknown, source: SourceRef, fail: (path: string, message: string) => never): ExpectedFlow[] {
  let list: unknown = value;
  let prefix = '';
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const extra = Object.keys(value).filter((k) => k !== 'flows');
    if (extra.length > 0) fail(extra[0]!, 'unknown field: a flows file is a list of flows, or {flows: [...]}');
    list = (value as { flows?: unknown }).flows;
    prefix = 'flows';
  }
  if (!Array.isArray(list)) fail(prefix, 'expected a list of flows ({from, to, port, protocol?, family?, expect})');
  const issues: InputIssue[] = [];
  const flows: ExpectedFlow[] = [];
  // An indexed loop and each flow made at once, no spreads: a file may hold 10,000 flows.
  const items = list as unknown[];
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const path = `${prefix}[${index}]`;
    const problems = flowProblems(item);
    if (problems.length > 0) {
      for (const [field, message] of problems) issues.push({ source, path: field ? `${path}.${field}` : path, message });
      continue;
    }
    flows.push(toFlow(item as Record<string, unknown>, source, path));
  }
  if (issues.length > 0) throw new InputError(issues);
  if (flows.length === 0) fail(prefix, 'no flows: the file lists none');
  return flows;
}

function flowProblems(item: unknown): [string, string][] {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return [['', 'expected a flow {from, to, port, protocol?, family?, expect}']];
  const flow = item as Record<string, unknown>;
  const problems: [string, string][] = [];
  for (const key of Object.keys(flow)) {
    if (!(FIELDS as readonly string[]).includes(key)) problems.push([key, `unknown field (expected ${FIELDS.join(', ')})`]);
  }
  for (const key of ['from', 'to'] as const) {
    if (typeof flow[key] !== 'string' || flow[key] === '') problems.push([key, `expected NAMESPACE/POD, an IP address${key === 'to' ? ', svc:NAMESPACE/NAME:PORT or node:NODE:PORT' : ''}, found ${show(flow[key])}`]);
  }
  const protocol = flow.protocol === undefined ? 'TCP' : typeof flow.protocol === 'string' ? flow.protocol.toUpperCase() : null;
  if (protocol === null || !(PROTOCOLS as readonly string[]).includes(protocol)) {
    problems.push(['protocol', `expected TCP, UDP, SCTP or ICMP, found ${show(flow.protocol)}`]);
  }
  // A Service VIP (svc:NS/NAME:PORT) or a NodePort (node:NODE:PORT) carries its port in `to`.
  const portInTo = typeof flow.to === 'string' ? /^(?:svc|node):[^:]+:([0-9]+)$/.exec(flow.to)?.[1] : undefined;
  if (flow.port === undefined) {
    if (protocol !== 'ICMP' && portInTo === undefined) {
      problems.push(['port', 'required (except for protocol ICMP, or a svc:NS/NAME:PORT or node:NODE:PORT destination)']);
    }
  } else if (protocol === 'ICMP') {
    problems.push(['port', 'ICMP has no port']);
  } else if (!isPort(flow.port)) {
    problems.push(['port', `expected a port between 1 and 65535, found ${show(flow.port)}`]);
  } else if (portInTo !== undefined && Number(portInTo) !== flow.port) {
    // As explain refuses it: one of the two would silently win.
    problems.push(['port', `${String(flow.to)} names port ${portInTo} but port is ${String(flow.port)}: give one of them, or the same port`]);
  }
  if (flow.family !== undefined && flow.family !== 4 && flow.family !== 6) problems.push(['family', `expected 4 or 6, found ${show(flow.family)}`]);
  if (flow.expect !== 'allow' && flow.expect !== 'deny') problems.push(['expect', `expected allow or deny, found ${show(flow.expect)}`]);
  return problems;
}

function toFlow(flow: Record<string, unknown>, source: SourceRef, path: string): ExpectedFlow {
  const protocol = (typeof flow.protocol === 'string' ? flow.protocol.toUpperCase() : 'TCP') as FlowProtocol;
  const to = flow.to as string;
  const port = protocol === 'ICMP' ? null : flow.port === undefined ? Number(/:([0-9]+)$/.exec(to)![1]) : (flow.port as number);
  const from = flow.from as string;
  // `family` only when the file gives one (the key's presence shows in -o json and in tests).
  const query: FlowQuery = flow.family !== undefined ? { from, to, port, protocol, family: flow.family as 4 | 6 } : { from, to, port, protocol };
  return { query, expect: flow.expect as Verdict, source, path };
}

/** The file's value when it is JSON the YAML parser reads the same (parseJsonUniqueKeys); undefined for anything else. */
function jsonFlows(text: string): unknown {
  const start = text.search(/\S/);
  if (text[start] !== '[' && text[start] !== '{') return undefined;
  return parseJsonUniqueKeys(text);
}

const isPort = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
