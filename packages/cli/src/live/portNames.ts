import type { LivePort } from '@ovn-nbgen/ovsdb/live';
import { UsageError } from '../errors.js';

/** `--port-name` shorthands for the CNIs' logical switch port names. */
const PORT_NAME_ALIASES: Readonly<Record<string, string>> = {
  'kube-ovn': '{pod}.{namespace}',
  'ovn-kubernetes': '{namespace}_{pod}',
  nbgen: '{pod}.{namespace}',
};

/** Tried in order when `--port-name` is not given (after the ports' external_ids). */
export const DEFAULT_PORT_NAME_TEMPLATES: readonly string[] = ['{pod}.{namespace}', '{namespace}_{pod}'];

/** `--port-name` → templates (an alias or a `{pod}`/`{namespace}` template). */
export function portNameTemplates(command: string, value: string | undefined): readonly string[] {
  if (value === undefined) return DEFAULT_PORT_NAME_TEMPLATES;
  const template = PORT_NAME_ALIASES[value] ?? value;
  if (!template.includes('{pod}') || !template.includes('{namespace}')) {
    throw new UsageError(
      `--port-name: with --db, expected kube-ovn, ovn-kubernetes or a template with {pod} and {namespace}, found ${JSON.stringify(value)}`,
      command,
    );
  }
  return [template];
}

/** The template `--port-name` stands for, for the compile options (aliases expanded). */
export function expandPortNameAlias(value: string | undefined): string | undefined {
  return value === undefined ? undefined : (PORT_NAME_ALIASES[value] ?? value);
}

export interface PodName {
  readonly namespace: string;
  readonly name: string;
}

// A namespace is a DNS-1123 label (no dots, no underscores), so it can be split off either end.
const NAMESPACE = '([a-z0-9]([-a-z0-9]*[a-z0-9])?)';

/**
 * The pod behind a logical switch port:
 *  - Kube-OVN writes `external_ids:pod=NAMESPACE/POD` (pkg/ovs/ovn-nb-logical_switch_port.go);
 *  - ovn-kubernetes writes `external_ids:namespace=NAMESPACE` on ports named `NAMESPACE_POD`
 *    (util.GetLogicalPortName);
 *  - otherwise the port name is read with the templates, in order.
 */
export function podOfPort(port: LivePort, templates: readonly string[]): PodName | null {
  const fromIds = /^([^/\s]+)\/([^/\s]+)$/.exec(port.externalIds.pod ?? '');
  if (fromIds) return { namespace: fromIds[1]!, name: fromIds[2]! };
  const ns = port.externalIds.namespace;
  if (ns !== undefined && port.name.startsWith(`${ns}_`)) return { namespace: ns, name: port.name.slice(ns.length + 1) };
  for (const template of templates) {
    const pattern = template
      .split(/(\{pod\}|\{namespace\})/)
      .map((part) => (part === '{pod}' ? '(?<pod>.+)' : part === '{namespace}' ? `(?<ns>${NAMESPACE})` : escapeRegExp(part)))
      .join('');
    const m = new RegExp(`^${pattern}$`).exec(port.name);
    if (m?.groups) return { namespace: m.groups.ns!, name: m.groups.pod! };
  }
  return null;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
