import type { L4Protocol, Pod } from '../model/inventory.js';
import type { NetworkPolicy } from '../netpol/networkPolicy.js';
import { groupByNamedPort, namedPortNumber } from '../selection/index.js';

/** A named ingress port of a policy, and the one number every pod the policy selects gives it. */
export interface UniformNamedPort {
  readonly name: string;
  readonly protocol: L4Protocol;
  readonly number: number;
}

export type NamedIngress = 'none' | 'varied' | readonly UniformNamedPort[];

/**
 * How a policy's named ingress ports resolve on its selected pods: 'none' (it has none), the
 * ports with their one number when each resolves to one number on every selected pod (and some
 * pod is selected), else 'varied'.
 *
 * Why it matters: a named ingress port resolves per selected pod (rules.ts `namedIngress`).
 * While every selected pod gives it the same number, its ACL allows that number on the whole
 * port group and names no pod, so a pod that comes or goes changes only the group's ports, as
 * long as it gives the same numbers and the group does not become empty. Otherwise the ACLs
 * list the pods of each number (or the entry resolves to nothing, with a warning), and the
 * policy is recompiled.
 */
export function namedIngressOf(policy: NetworkPolicy, selectedPods: () => readonly Pod[]): NamedIngress {
  const out: UniformNamedPort[] = [];
  // Listed on the first named port only: most policies have none.
  let selected: readonly Pod[] | undefined;
  for (const rule of policy.ingress) {
    for (const { port: name, protocol } of rule.ports) {
      if (typeof name !== 'string') continue;
      selected ??= selectedPods();
      if (selected.length === 0) return 'varied';
      const groups = groupByNamedPort(selected, name, protocol);
      const [only] = groups;
      if (groups.size !== 1 || only![1].length !== selected.length) return 'varied';
      out.push({ name, protocol, number: only![0] });
    }
  }
  return out.length === 0 ? 'none' : out;
}

/** Does `pod` give each of `ports` its number (so a policy's ports stay uniform with it selected)? */
export function givesUniformNumbers(ports: readonly UniformNamedPort[], pod: Pod): boolean {
  return ports.every((p) => namedPortNumber(pod, p.name, p.protocol) === p.number);
}
