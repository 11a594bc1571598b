import type { CompileOptions } from '../compile/options.js';
import { isOvnPod, type Node, type Pod } from '../model/inventory.js';
import type { Model } from '../model/model.js';
import { address, and, equalsAny, formatMatchExpr, portGroupRef, withPrintedTree } from '../match/index.js';
import { limitLength, ovnName } from '../naming/ovnName.js';
import { parseIp } from '../net/ip.js';
import { EGRESS, INGRESS, type PolicyDirection } from '../netpol/direction.js';
import { NETWORK_POLICY_PRIORITIES, NETWORK_POLICY_TIER } from '../netpol/priorities.js';
import { ownedExternalIds, type ObjectRef } from '../ownership.js';
import { AclRow, emptyNbRows, PortGroupRow, sortNbRows, type NbRows } from '../rows/index.js';

/**
 * Traffic between a pod and the node it runs on is always allowed in Kubernetes, whatever the
 * policies say (kubelet probes depend on it). Kube-OVN implements it per node
 * (`pkg/controller/node.go`, `CreateNodeACL`): a port group `node.<node>` of the node's pods and an
 * allow-related for the node's join address in each direction, in the NetworkPolicy tier, so an
 * Admin Deny still wins and every other node stays subject to the policies.
 *
 * Written per Node that carries its join address (`ovn.kubernetes.io/ip_address`) when any policy
 * is among the inputs (Kube-OVN writes them once a NetworkPolicy exists). The port group follows
 * pod placement (`spec.nodeName`). Priority: the NetworkPolicy always-allow priority (2002), above
 * every NetworkPolicy drop (2000).
 *
 * Example: Node worker-1 (join 100.64.0.2) with pod web-0 in shop →
 *   Port_Group ownnode.worker_1 [web-0.shop];
 *   to-lport   `outport == @ownnode.worker_1 && ip4.src == 100.64.0.2` allow-related
 *   from-lport `inport == @ownnode.worker_1 && ip4.dst == 100.64.0.2` allow-related, apply-after-lb
 */
export function compileOwnNodeRows(model: Model, options: CompileOptions): { rows: NbRows } {
  if (model.networkPolicies.length === 0 && model.clusterPolicies.length === 0) return { rows: sortNbRows(emptyNbRows) };
  // Pods grouped by node once: the rows of a node read only its own pods. Not without Nodes (an
  // inventory of pods and policies only): 50,000 pods grouped for nothing.
  const podsByNode = new Map<string, Pod[]>();
  const pods = model.nodes.length === 0 ? [] : model.pods;
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i]!;
    if (!isOvnPod(pod) || pod.nodeName === null) continue;
    let list = podsByNode.get(pod.nodeName);
    if (!list) podsByNode.set(pod.nodeName, (list = []));
    list.push(pod);
  }
  const portGroups: PortGroupRow[] = [];
  const acls: AclRow[] = [];
  for (const node of model.nodes) {
    const rows = ownNodeRowsOf(node, podsByNode.get(node.name) ?? [], options);
    if (rows === null) continue;
    portGroups.push(rows.portGroup);
    acls.push(...rows.acls);
  }
  return { rows: sortNbRows({ portGroups, addressSets: [], acls, nats: [], loadBalancers: [] }) };
}

/**
 * The own-node rows of one Node, given the OVN pods placed on it (`spec.nodeName`); null when it
 * has no join address. A CompileSession calls it for the nodes an event touches.
 */
export function ownNodeRowsOf(node: Node, pods: Iterable<Pod>, options: CompileOptions): { portGroup: PortGroupRow; acls: AclRow[] } | null {
  if (node.joinIps.length === 0) return null;
  const object: ObjectRef = { kind: 'Node', namespace: '', name: node.name };
  const pgName = ownNodePortGroupName(node);
  const ports: string[] = [];
  for (const pod of pods) ports.push(options.portNameFor(pod));
  const portGroup = PortGroupRow({ name: pgName, ports: ports.sort(), externalIds: ownedExternalIds(options.owner, object) });
  const acls: AclRow[] = [];
  for (const direction of [INGRESS, EGRESS]) {
    for (const ip of node.joinIps) {
      const family = parseIp(ip)!.family;
      const match = and([equalsAny(direction.portField, [portGroupRef(pgName)]), equalsAny(`ip${family}.${direction.peerField}`, [address(ip)])]);
      acls.push(
        withPrintedTree(AclRow({
          portGroup: pgName,
          direction: direction.acl,
          priority: NETWORK_POLICY_PRIORITIES.alwaysAllow,
          match: formatMatchExpr(match),
          action: 'allow-related',
          name: limitLength(`node:${node.name}:${direction.label}-own`, 63),
          log: false,
          severity: null,
          meter: null,
          tier: options.capabilities.aclTier ? NETWORK_POLICY_TIER : null,
          options: direction.options,
          externalIds: ownedExternalIds(options.owner, object, ownNodeRowId(direction, family)),
        }), match, options.onMatchTree),
      );
    }
  }
  return { portGroup, acls };
}

/**
 * `ownnode.<node>`: Kube-OVN's own group is `node.<node>` (with `-` → `.`), and a Port_Group name
 * is unique in the NB, so ours must never be able to take that name.
 */
export const ownNodePortGroupName = (node: Pick<Node, 'name'>): string => ovnName('ownnode', [node.name]);

export const ownNodeRowId = (direction: PolicyDirection, family: 4 | 6): string => `${direction.name}/own-node/ip${family}`;

/** The kind in external_ids of these rows: how explain recognises them. */
export const OWN_NODE_KIND = 'Node';
