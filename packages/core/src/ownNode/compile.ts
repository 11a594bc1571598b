import type { CompileOptions } from '../compile/options.js';
import { isOvnPod, type Node } from '../model/inventory.js';
import type { Model } from '../model/model.js';
import { address, and, equalsAny, formatMatchExpr, portGroupRef } from '../match/index.js';
import { limitLength, ovnName } from '../naming/ovnName.js';
import { parseIp } from '../net/ip.js';
import { EGRESS, INGRESS, type PolicyDirection } from '../netpol/direction.js';
import { NETWORK_POLICY_PRIORITIES, NETWORK_POLICY_TIER } from '../netpol/priorities.js';
import { ownedExternalIds, type ObjectRef } from '../ownership.js';
import { AclRow, PortGroupRow, sortNbRows, type NbRows } from '../rows/index.js';

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
  const empty = { rows: sortNbRows({ portGroups: [], addressSets: [], acls: [], nats: [], loadBalancers: [] }) };
  if (model.networkPolicies.length === 0 && model.clusterPolicies.length === 0) return empty;
  const portGroups: PortGroupRow[] = [];
  const acls: AclRow[] = [];
  for (const node of [...model.nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (node.joinIps.length === 0) continue;
    const object: ObjectRef = { kind: 'Node', namespace: '', name: node.name };
    const pgName = ownNodePortGroupName(node);
    const pods = model.pods.filter((p) => isOvnPod(p) && p.nodeName === node.name);
    portGroups.push(
      PortGroupRow({ name: pgName, ports: pods.map(options.portNameFor).sort(), externalIds: ownedExternalIds(options.owner, object) }),
    );
    for (const direction of [INGRESS, EGRESS]) {
      for (const ip of node.joinIps) {
        const family = parseIp(ip)!.family;
        acls.push(
          AclRow({
            portGroup: pgName,
            direction: direction.acl,
            priority: NETWORK_POLICY_PRIORITIES.alwaysAllow,
            match: formatMatchExpr(and([equalsAny(direction.portField, [portGroupRef(pgName)]), equalsAny(`ip${family}.${direction.peerField}`, [address(ip)])])),
            action: 'allow-related',
            name: limitLength(`node:${node.name}:${direction.label}-own`, 63),
            log: false,
            severity: null,
            meter: null,
            tier: options.capabilities.aclTier ? NETWORK_POLICY_TIER : null,
            options: direction.options,
            externalIds: ownedExternalIds(options.owner, object, ownNodeRowId(direction, family)),
          }),
        );
      }
    }
  }
  return { rows: sortNbRows({ portGroups, addressSets: [], acls, nats: [], loadBalancers: [] }) };
}

/**
 * `ownnode.<node>`: Kube-OVN's own group is `node.<node>` (with `-` → `.`), and a Port_Group name
 * is unique in the NB, so ours must never be able to take that name.
 */
export const ownNodePortGroupName = (node: Pick<Node, 'name'>): string => ovnName('ownnode', [node.name]);

export const ownNodeRowId = (direction: PolicyDirection, family: 4 | 6): string => `${direction.name}/own-node/ip${family}`;

/** The kind in external_ids of these rows: how explain recognises them. */
export const OWN_NODE_KIND = 'Node';
