import { capabilitiesForOvnVersion, OvnVersionError, DEFAULT_OVN_VERSION, DEFAULT_OWNER, kubeOvnPortName, type AclLogging, type Capabilities, type CompileOptions, type Pod } from '@ovn-nbgen/core';
import { formatCidr, parseCidr } from '@ovn-nbgen/core/model';
import { DEFAULT_DELETION_LIMIT, parseDeletionLimit, type DeletionLimit } from '@ovn-nbgen/core/script';
import { UsageError } from '../errors.js';
import { GATEWAY_PORT_FLAG_HELP, gatewayPortFlag, parseGatewayPorts } from './gatewayPorts.js';

/** Flags every command that reads manifests accepts. */
export const inputFlags = {
  filename: { type: 'string', short: 'f', multiple: true },
  recursive: { type: 'boolean', short: 'R' },
  namespace: { type: 'string', short: 'n' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

/** Flags every command that compiles accepts. */
export const compileFlags = {
  owner: { type: 'string' },
  'ovn-version': { type: 'string' },
  'port-name': { type: 'string' },
  'always-allow': { type: 'string', multiple: true },
  log: { type: 'string', multiple: true },
  ...gatewayPortFlag,
} as const;

/** Flags of the commands that talk to a live Northbound database (diff, apply). */
export const dbFlags = {
  db: { type: 'string' },
  'private-key': { type: 'string', short: 'p' },
  certificate: { type: 'string', short: 'c' },
  'ca-cert': { type: 'string', short: 'C' },
} as const;

/** The deletion limit of the commands that delete rows (apply, diff, export). */
export const deletionLimitFlags = {
  'max-delete': { type: 'string' },
} as const;

export const DELETION_LIMIT_HELP = `      --max-delete N|P%  refuse (exit 2, nothing written) when more than N rows, or more than P% of
                         the owner's rows in the NB, would be deleted; 100% turns the check off.
                         Default: more than 50% and more than 10 rows, or every row of the owner
                         with none written (use nbgen delete to remove an owner on purpose)`;

/** `--max-delete` → the limit (the default without it). */
export function deletionLimitOf(command: string, text: string | undefined): DeletionLimit {
  if (text === undefined) return DEFAULT_DELETION_LIMIT;
  const limit = parseDeletionLimit(text);
  if (!limit) throw new UsageError(`--max-delete: expected a number of rows or a percentage (0% to 100%), found ${JSON.stringify(text)}`, command);
  return limit;
}

export const DB_FLAGS_HELP = `      --db REMOTE        the NB: unix:PATH, tcp:HOST:PORT, ssl:HOST:PORT, or a comma-separated list
                         of a cluster's members (default $OVN_NB_DB, else unix:/var/run/ovn/ovnnb_db.sock)
  -p, --private-key FILE, -c, --certificate FILE, -C, --ca-cert FILE
                         TLS files for ssl: remotes (as ovn-nbctl takes them)`;

export const INPUT_FLAGS_HELP = `  -f, --filename PATH    manifest file, directory (its *.yaml, *.yml, *.json files, in path order)
                         or - for stdin (once); repeatable, at least one
  -R, --recursive        also read the directories below a -f DIRECTORY, as kubectl -R does
  -n, --namespace NS     namespace of namespaced objects without metadata.namespace (default
                         default, as kubectl)
  -v, --verbose          also list the objects of kinds nbgen does not compile`;

export const COMPILE_FLAGS_HELP = `      --owner NAME       owner written to external_ids:nbgen/owner (default ${DEFAULT_OWNER})
      --ovn-version X.Y  target OVN; decides ACL tier/pass and NAT gateway_port (default ${DEFAULT_OVN_VERSION})
      --port-name TPL    logical switch port of a pod, from {pod} and {namespace}
                         (default {pod}.{namespace}, Kube-OVN's convention)
      --always-allow CIDR  always allowed into and out of isolated pods (e.g. the node/join
                         subnet kubelet probes come from); repeatable
      --log POLICY[=SEVERITY]  log the verdicts of a policy: NAMESPACE/NAME of a NetworkPolicy,
                         KIND/NAME of a cluster-scoped one (AdminNetworkPolicy/deny-all), or * for
                         all; SEVERITY alert|warning|notice|info|debug (default info); repeatable
${GATEWAY_PORT_FLAG_HELP}`;

/**
 * The compile flags of the commands that compile for a live NB (apply, diff, sync): its schema
 * decides the target, so --ovn-version is not offered.
 */
export const LIVE_COMPILE_FLAGS_HELP = COMPILE_FLAGS_HELP.split('\n')
  .filter((l) => !l.includes('--ovn-version') && !l.includes('gateway_port (default'))
  .join('\n');

/** The flags of the commands that judge flows on compiled rows or on a live NB's (explain, matrix, test). */
export const judgeFlags = { ...inputFlags, ...compileFlags, ...dbFlags } as const;

/** The flags apply and diff share: manifests, compile, the NB, the deletion limit. */
export const liveWriteFlags = { ...inputFlags, ...compileFlags, ...dbFlags, ...deletionLimitFlags } as const;

export const LIVE_WRITE_FLAGS_HELP = `${DELETION_LIMIT_HELP}
${INPUT_FLAGS_HELP}
${LIVE_COMPILE_FLAGS_HELP}
${DB_FLAGS_HELP}`;

export interface CompileFlagValues {
  readonly owner?: string | undefined;
  readonly 'ovn-version'?: string | undefined;
  readonly 'port-name'?: string | undefined;
  readonly 'always-allow'?: string[] | undefined;
  readonly log?: string[] | undefined;
  readonly 'gateway-port'?: string[] | undefined;
}

export interface CompileSettings {
  readonly compileOptions: CompileOptions;
  readonly ovnVersion: string;
  readonly capabilities: Capabilities;
}

const SEVERITIES = ['alert', 'warning', 'notice', 'info', 'debug'] as const;

/** Flag values → CompileOptions; every bad flag is reported at once. */
export function compileSettings(command: string, values: CompileFlagValues): CompileSettings {
  const problems: string[] = [];
  const owner = values.owner ?? DEFAULT_OWNER;
  if (owner === '') problems.push('--owner: must not be empty');

  const ovnVersion = values['ovn-version'] ?? DEFAULT_OVN_VERSION;
  let capabilities = capabilitiesForOvnVersion(DEFAULT_OVN_VERSION);
  try {
    capabilities = capabilitiesForOvnVersion(ovnVersion);
  } catch (error) {
    if (!(error instanceof OvnVersionError)) throw error;
    problems.push(`--ovn-version: ${error.message}`);
  }

  const template = values['port-name'] ?? '{pod}.{namespace}';
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((p) => p !== 'pod' && p !== 'namespace');
  if (unknown.length > 0) problems.push(`--port-name: unknown placeholder {${unknown[0]}} (use {pod} and {namespace})`);
  if (!template.includes('{pod}')) problems.push('--port-name: must contain {pod}');
  // The default template is Kube-OVN's naming, given as core's own function: a CompileSession
  // recognises it and patches port groups by pod name instead of recompiling their policies.
  const portNameFor =
    template === '{pod}.{namespace}' ? kubeOvnPortName : (pod: Pod): string => template.replaceAll('{pod}', pod.name).replaceAll('{namespace}', pod.namespace);

  const alwaysAllowCidrs: string[] = [];
  for (const text of values['always-allow'] ?? []) {
    const cidr = parseCidr(text);
    if (cidr === null) problems.push(`--always-allow: expected an IP address or CIDR, found ${JSON.stringify(text)}`);
    else alwaysAllowCidrs.push(formatCidr(cidr));
  }

  const logging: Record<string, AclLogging> = {};
  for (const text of values.log ?? []) {
    const eq = text.lastIndexOf('=');
    const policy = eq < 0 ? text : text.slice(0, eq);
    const severity = eq < 0 ? 'info' : text.slice(eq + 1);
    if (policy !== '*' && !/^[^/\s]+\/[^/\s]+$/.test(policy)) {
      problems.push(`--log: expected NAMESPACE/NAME, KIND/NAME or * before =SEVERITY, found ${JSON.stringify(policy)}`);
    } else if (!(SEVERITIES as readonly string[]).includes(severity)) {
      problems.push(`--log: severity must be one of ${SEVERITIES.join(', ')}, found ${JSON.stringify(severity)}`);
    } else {
      logging[policy] = { severity: severity as AclLogging['severity'], meter: null };
    }
  }

  const gatewayPorts = parseGatewayPorts(values['gateway-port'] ?? []);
  problems.push(...gatewayPorts.problems);

  if (problems.length > 0) throw new UsageError(problems.join('\n'), command);
  return {
    compileOptions: {
      owner,
      capabilities,
      portNameFor,
      alwaysAllowCidrs: [...new Set(alwaysAllowCidrs)].sort(),
      logging,
      ...(gatewayPorts.ports ? { natGatewayPorts: gatewayPorts.ports } : {}),
    },
    ovnVersion,
    capabilities,
  };
}
