import { dns1123LabelProblem, dns1123SubdomainProblem, labelKeyProblem, labelValueProblem } from '../manifests/names.js';
import type { LabelSelector } from '../selectors/labelSelector.js';
import { portNameProblem } from './portName.js';

/**
 * A NetworkPolicy as the NetworkPolicy schema (manifestSchema.ts) parses it, read without the
 * schema for the objects the schema accepts as written; null for anything else (an invalid field,
 * an ipBlock peer, any shape this reader does not know), which the schema then reads and reports.
 * Cold, the schema costs about 0.1 ms per policy: most of reading 200 policies in a one-shot
 * command. test/netpol/plainPolicy.differential.test.ts holds the two equal.
 */
export interface PlainPolicy {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: {
    readonly podSelector: LabelSelector;
    readonly policyTypes?: ('Ingress' | 'Egress')[];
    readonly ingress?: PlainRule[] | null;
    readonly egress?: PlainRule[] | null;
  };
}

interface PlainRule {
  ports?: PlainPort[] | null;
  from?: PlainPeer[] | null;
  to?: PlainPeer[] | null;
}

interface PlainPort {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port?: number | string;
  endPort?: number;
}

interface PlainPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
}

/** Thrown inside the reader to give up; never escapes it. */
const GIVE_UP = Symbol('give up');

export function plainNetworkPolicy(object: Record<string, unknown>): PlainPolicy | null {
  try {
    return readPolicy(object);
  } catch (error) {
    if (error === GIVE_UP) return null;
    throw error;
  }
}

function readPolicy(object: Record<string, unknown>): PlainPolicy {
  const metadata = plain(object.metadata);
  const { name, namespace = 'default', labels } = metadata;
  if (typeof name !== 'string' || dns1123SubdomainProblem(name) !== null) throw GIVE_UP;
  if (typeof namespace !== 'string' || dns1123LabelProblem(namespace) !== null) throw GIVE_UP;
  const spec = object.spec === undefined ? {} : plain(object.spec);
  only(spec, SPEC_KEYS);
  const out: { -readonly [K in keyof PlainPolicy['spec']]: PlainPolicy['spec'][K] } = {
    podSelector: spec.podSelector === undefined ? {} : selector(spec.podSelector),
  };
  if ('policyTypes' in spec) out.policyTypes = policyTypes(spec.policyTypes);
  if ('ingress' in spec) out.ingress = rules(spec.ingress, 'from');
  if ('egress' in spec) out.egress = rules(spec.egress, 'to');
  return { metadata: { name, namespace, labels: labels === undefined ? {} : labelMap(labels) }, spec: out };
}

const SPEC_KEYS = new Set(['podSelector', 'policyTypes', 'ingress', 'egress']);
const INGRESS_RULE_KEYS = new Set(['ports', 'from']);
const EGRESS_RULE_KEYS = new Set(['ports', 'to']);
const PORT_KEYS = new Set(['protocol', 'port', 'endPort']);
const PEER_KEYS = new Set(['podSelector', 'namespaceSelector']);
const SELECTOR_KEYS = new Set(['matchLabels', 'matchExpressions']);
const PROTOCOLS: readonly unknown[] = ['TCP', 'UDP', 'SCTP'];
const OPERATORS: readonly unknown[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function policyTypes(value: unknown): ('Ingress' | 'Egress')[] {
  if (!Array.isArray(value) || value.length > 2) throw GIVE_UP;
  for (const type of value) if (type !== 'Ingress' && type !== 'Egress') throw GIVE_UP;
  return [...(value as ('Ingress' | 'Egress')[])];
}

function rules(value: unknown, peersKey: 'from' | 'to'): PlainRule[] | null {
  if (value === null) return null;
  if (!Array.isArray(value)) throw GIVE_UP;
  return value.map((item) => {
    const rule = plain(item);
    only(rule, peersKey === 'from' ? INGRESS_RULE_KEYS : EGRESS_RULE_KEYS);
    const out: PlainRule = {};
    if ('ports' in rule) out.ports = nullableList(rule.ports, port);
    if (peersKey in rule) out[peersKey] = nullableList(rule[peersKey], peer);
    return out;
  });
}

function nullableList<T>(value: unknown, read: (item: unknown) => T): T[] | null {
  if (value === null) return null;
  if (!Array.isArray(value)) throw GIVE_UP;
  return value.map(read);
}

function port(value: unknown): PlainPort {
  const entry = plain(value);
  only(entry, PORT_KEYS);
  const { protocol = 'TCP', port: number, endPort } = entry;
  if (!PROTOCOLS.includes(protocol)) throw GIVE_UP;
  const out: PlainPort = { protocol: protocol as PlainPort['protocol'] };
  if ('port' in entry) {
    if (typeof number === 'number') {
      if (!isPortNumber(number)) throw GIVE_UP;
    } else if (typeof number !== 'string' || portNameProblem(number) !== null) {
      throw GIVE_UP;
    }
    out.port = number;
  }
  if ('endPort' in entry) {
    if (!isPortNumber(endPort) || typeof number !== 'number' || endPort < number) throw GIVE_UP;
    out.endPort = endPort;
  }
  return out;
}

function peer(value: unknown): PlainPeer {
  const entry = plain(value);
  only(entry, PEER_KEYS);
  const out: PlainPeer = {};
  if ('podSelector' in entry) out.podSelector = selector(entry.podSelector);
  if ('namespaceSelector' in entry) out.namespaceSelector = selector(entry.namespaceSelector);
  if (out.podSelector === undefined && out.namespaceSelector === undefined) throw GIVE_UP;
  return out;
}

function selector(value: unknown): LabelSelector {
  const entry = plain(value);
  only(entry, SELECTOR_KEYS);
  const out: { matchLabels?: Record<string, string>; matchExpressions?: NonNullable<LabelSelector['matchExpressions']> } = {};
  if ('matchLabels' in entry) out.matchLabels = labelMap(entry.matchLabels);
  if ('matchExpressions' in entry) {
    if (!Array.isArray(entry.matchExpressions)) throw GIVE_UP;
    out.matchExpressions = entry.matchExpressions.map((item: unknown) => {
      const { key, operator, values } = plain(item);
      if (typeof key !== 'string' || labelKeyProblem(key) !== null || !OPERATORS.includes(operator)) throw GIVE_UP;
      const requirement: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] } = {
        key,
        operator: operator as 'In' | 'NotIn' | 'Exists' | 'DoesNotExist',
      };
      if (values !== undefined) {
        if (!Array.isArray(values)) throw GIVE_UP;
        for (const v of values) if (typeof v !== 'string' || labelValueProblem(v) !== null) throw GIVE_UP;
        requirement.values = [...(values as string[])];
      }
      const listed = requirement.values?.length ?? 0;
      if ((operator === 'In' || operator === 'NotIn') === (listed === 0)) throw GIVE_UP;
      return requirement;
    });
  }
  return out;
}

function labelMap(value: unknown): Record<string, string> {
  const labels = plain(value);
  const out: Record<string, string> = {};
  for (const key in labels) {
    const text = labels[key];
    if (typeof text !== 'string' || labelKeyProblem(key) !== null || labelValueProblem(text) !== null) throw GIVE_UP;
    out[key] = text;
  }
  return out;
}

function isPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** A plain object (as JSON.parse and the YAML readers make them), else give up. */
function plain(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) throw GIVE_UP;
  return value as Record<string, unknown>;
}

/**
 * A strict object of the schema holds no other key. for-in, not Object.keys: the same keys of a
 * plain object, without a key array for each of 80,000 objects at 10,000 policies.
 */
function only(object: Record<string, unknown>, keys: ReadonlySet<string>): void {
  for (const key in object) if (!keys.has(key)) throw GIVE_UP;
}
