import type { Node, Pod } from '@ovn-nbgen/core';

/**
 * Nodes that carry a Kube-OVN join address, and pods spread over them (round robin by position):
 * with them every pod event also moves its node's own-node rows (ownNode/compile.ts), as in a
 * cluster where Kube-OVN annotated its Nodes.
 */
export function joinAddressedNodes(count: number): Node[] {
  return Array.from({ length: count }, (_, i) => ({
    name: nodeName(i),
    labels: {},
    addresses: [{ type: 'InternalIP', address: `192.168.${Math.floor(i / 250)}.${(i % 250) + 1}` }],
    joinIps: [`100.64.${Math.floor(i / 250)}.${(i % 250) + 2}`],
    source: { file: 'nodes', doc: i },
  }));
}

export const nodeName = (i: number): string => `node-${i}`;

export function placedOnNodes(pods: readonly Pod[], nodes: number): Pod[] {
  return pods.map((pod, i) => ({ ...pod, nodeName: nodeName(i % nodes) }));
}
