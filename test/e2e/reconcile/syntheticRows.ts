// Synthetic policy rows at scale (for the fault test and the benchmark): `policies` NetworkPolicy
// objects, each a port group with `aclsPerPolicy` ACLs, spread over namespaces, ports from a pool.
import { AclRow, mergeNbRows, PortGroupRow, type NbRows, type ObjectRef } from '@ovn-nbgen/core';
import { ownedExternalIds } from '@ovn-nbgen/core/model';

export interface SyntheticOptions {
  readonly owner: string;
  readonly policies: number;
  readonly aclsPerPolicy: number;
  /** Logical switch port names the groups draw from (none: groups without ports). */
  readonly ports?: readonly string[];
  readonly portsPerGroup?: number;
  /** Changes the rules of one policy (the "single-policy change" case). */
  readonly variant?: (policy: number) => number;
}

export function policyRef(i: number): ObjectRef {
  return { kind: 'NetworkPolicy', namespace: `ns${i % 100}`, name: `policy-${i}` };
}

export function syntheticPolicy(options: SyntheticOptions, i: number): NbRows {
  const ref = policyRef(i);
  const pg = `np.${ref.namespace}.policy_${i}`;
  const ports = options.ports ?? [];
  const perGroup = Math.min(options.portsPerGroup ?? 0, ports.length);
  const members = Array.from({ length: perGroup }, (_, k) => ports[(i * 7 + k) % ports.length]!);
  const variant = options.variant?.(i) ?? 0;
  const acls = Array.from({ length: options.aclsPerPolicy }, (_, r) => {
    const last = r === options.aclsPerPolicy - 1;
    return AclRow({
      portGroup: pg,
      direction: r % 2 === 0 ? 'to-lport' : 'from-lport',
      priority: last ? 2000 : 2001 + r,
      match: last
        ? `${r % 2 === 0 ? 'outport' : 'inport'} == @${pg} && ip`
        : `${r % 2 === 0 ? 'outport' : 'inport'} == @${pg} && ip4.src == 10.${i % 250}.${r}.0/24 && tcp.dst == ${8000 + r + variant}`,
      action: last ? 'drop' : 'allow-related',
      name: null,
      log: false,
      severity: null,
      meter: null,
      tier: null,
      options: r % 2 === 1 ? { 'apply-after-lb': 'true' } : {},
      externalIds: ownedExternalIds(options.owner, ref, last ? 'default-drop' : `rule/${r}`),
    });
  });
  return {
    portGroups: [PortGroupRow({ name: pg, ports: members, externalIds: ownedExternalIds(options.owner, ref) })],
    addressSets: [],
    acls,
    nats: [],
    loadBalancers: [],
  };
}

export function syntheticRows(options: SyntheticOptions): NbRows {
  return mergeNbRows(...Array.from({ length: options.policies }, (_, i) => syntheticPolicy(options, i)));
}
