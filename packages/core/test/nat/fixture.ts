import { capabilitiesForOvnVersion } from '../../src/capabilities.js';
import { InputError } from '../../src/errors.js';
import type { ManifestSource } from '../../src/manifests/documents.js';
import { loadModel } from '../../src/manifests/load.js';
import type { Model } from '../../src/model/model.js';
import type { NatOptions } from '../../src/nat/resolve.js';

/** Manifest documents as one YAML text, the way a user writes a file of several. */
export const documents = (...docs: string[]): string => `\n${docs.join('\n---\n')}\n`;

/** A Kube-OVN object; `spec` and `status` are flow-style YAML maps (`{a: 1, b: x}`). */
export const kubeOvnObject = (kind: string, name: string, spec: string, status?: string): string =>
  `apiVersion: kubeovn.io/v1\nkind: ${kind}\nmetadata: {name: ${name}}\nspec: ${spec}${status === undefined ? '' : `\nstatus: ${status}`}`;

/** A Node, labelled when `labels` (flow-style YAML) is given. */
export const node = (name: string, labels?: string): string =>
  `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}${labels === undefined ? '' : `, labels: ${labels}`}}`;

/**
 * The field report's cluster: VPC vpc1 with subnet 192.168.0.0/24, attached to external subnet
 * external204 through one gateway port (vpc1-external204) whose gateway chassis are gw-1 and gw-2.
 * pod1 runs on worker-1, pod2 on worker-2.
 */
export const topology = documents(
  node('gw-1', '{ovn.kubernetes.io/external-gw: "true"}'),
  node('gw-2', '{ovn.kubernetes.io/external-gw: "true"}'),
  node('worker-1'),
  kubeOvnObject('Subnet', 'external204', '{protocol: IPv4, cidrBlock: 10.5.204.0/24}'),
  kubeOvnObject('Vpc', 'vpc1', '{extraExternalSubnets: [external204]}'),
  kubeOvnObject('Subnet', 'vpc1-subnet1', '{vpc: vpc1, protocol: IPv4, cidrBlock: 192.168.0.0/24}'),
  kubeOvnObject('IP', 'pod1.ns1', '{subnet: vpc1-subnet1, v4IpAddress: 192.168.0.2, macAddress: "00:00:00:0A:DD:27", nodeName: worker-1}'),
  kubeOvnObject('IP', 'pod2.ns1', '{subnet: vpc1-subnet1, v4IpAddress: 192.168.0.3, macAddress: "00:00:00:0a:dd:28", nodeName: worker-2}'),
);

/** One EIP of each use, a distributed FIP, a centralized FIP, a subnet SNAT and a DNAT. */
export const natRules = documents(
  kubeOvnObject('OvnEip', 'eip-d', '{externalSubnet: external204, v4Ip: 10.5.204.101, type: nat}'),
  kubeOvnObject('OvnEip', 'eip-c', '{externalSubnet: external204}', '{v4Ip: 10.5.204.102}'),
  kubeOvnObject('OvnEip', 'eip-snat', '{externalSubnet: external204, v4Ip: 10.5.204.115}'),
  kubeOvnObject('OvnEip', 'eip-dnat', '{externalSubnet: external204, v4Ip: 10.5.204.130}'),
  kubeOvnObject('OvnFip', 'fip-d', '{ovnEip: eip-d, ipName: pod1.ns1}'),
  kubeOvnObject('OvnFip', 'fip-c', '{ovnEip: eip-c, ipName: pod2.ns1, type: centralized}'),
  kubeOvnObject('OvnSnatRule', 'snat-subnet1', '{ovnEip: eip-snat, vpcSubnet: vpc1-subnet1}'),
  kubeOvnObject('OvnDnatRule', 'dnat-ssh', '{ovnEip: eip-dnat, ipName: pod2.ns1, protocol: TCP, internalPort: "22", externalPort: "2222"}'),
);

/** manifests → model through the real loader; files are named f0.yaml, f1.yaml, ... */
export function loadNatModel(...texts: string[]): Model {
  const sources: ManifestSource[] = texts.map((text, i) => ({ name: `f${i}.yaml`, text }));
  return loadModel(sources).model;
}

export const options: NatOptions = {
  owner: 'nbgen',
  capabilities: capabilitiesForOvnVersion('23.03'),
};

/** The message of the InputError thrown by `fn` (fails the test when nothing is thrown). */
export function inputErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('expected an InputError');
}
