import { capabilitiesForOvnVersion } from '../../src/capabilities.js';
import { InputError } from '../../src/errors.js';
import type { ManifestSource } from '../../src/manifests/documents.js';
import { loadModel } from '../../src/manifests/load.js';
import type { Model } from '../../src/model/model.js';
import type { NatOptions } from '../../src/nat/resolve.js';

/**
 * The field report's cluster: VPC vpc1 with subnet 192.168.0.0/24, attached to external subnet
 * external204 through one gateway port (vpc1-external204) whose gateway chassis are gw-1 and gw-2.
 * pod1 runs on worker-1, pod2 on worker-2.
 */
export const topology = `
apiVersion: v1
kind: Node
metadata: {name: gw-1, labels: {ovn.kubernetes.io/external-gw: "true"}}
---
apiVersion: v1
kind: Node
metadata: {name: gw-2, labels: {ovn.kubernetes.io/external-gw: "true"}}
---
apiVersion: v1
kind: Node
metadata: {name: worker-1}
---
apiVersion: kubeovn.io/v1
kind: Subnet
metadata: {name: external204}
spec: {protocol: IPv4, cidrBlock: 10.5.204.0/24}
---
apiVersion: kubeovn.io/v1
kind: Vpc
metadata: {name: vpc1}
spec: {extraExternalSubnets: [external204]}
---
apiVersion: kubeovn.io/v1
kind: Subnet
metadata: {name: vpc1-subnet1}
spec: {vpc: vpc1, protocol: IPv4, cidrBlock: 192.168.0.0/24}
---
apiVersion: kubeovn.io/v1
kind: IP
metadata: {name: pod1.ns1}
spec: {subnet: vpc1-subnet1, v4IpAddress: 192.168.0.2, macAddress: "00:00:00:0A:DD:27", nodeName: worker-1}
---
apiVersion: kubeovn.io/v1
kind: IP
metadata: {name: pod2.ns1}
spec: {subnet: vpc1-subnet1, v4IpAddress: 192.168.0.3, macAddress: "00:00:00:0a:dd:28", nodeName: worker-2}
`;

/** One EIP of each use, a distributed FIP, a centralized FIP, a subnet SNAT and a DNAT. */
export const natRules = `
apiVersion: kubeovn.io/v1
kind: OvnEip
metadata: {name: eip-d}
spec: {externalSubnet: external204, v4Ip: 10.5.204.101, type: nat}
---
apiVersion: kubeovn.io/v1
kind: OvnEip
metadata: {name: eip-c}
spec: {externalSubnet: external204}
status: {v4Ip: 10.5.204.102}
---
apiVersion: kubeovn.io/v1
kind: OvnEip
metadata: {name: eip-snat}
spec: {externalSubnet: external204, v4Ip: 10.5.204.115}
---
apiVersion: kubeovn.io/v1
kind: OvnEip
metadata: {name: eip-dnat}
spec: {externalSubnet: external204, v4Ip: 10.5.204.130}
---
apiVersion: kubeovn.io/v1
kind: OvnFip
metadata: {name: fip-d}
spec: {ovnEip: eip-d, ipName: pod1.ns1}
---
apiVersion: kubeovn.io/v1
kind: OvnFip
metadata: {name: fip-c}
spec: {ovnEip: eip-c, ipName: pod2.ns1, type: centralized}
---
apiVersion: kubeovn.io/v1
kind: OvnSnatRule
metadata: {name: snat-subnet1}
spec: {ovnEip: eip-snat, vpcSubnet: vpc1-subnet1}
---
apiVersion: kubeovn.io/v1
kind: OvnDnatRule
metadata: {name: dnat-ssh}
spec: {ovnEip: eip-dnat, ipName: pod2.ns1, protocol: TCP, internalPort: "22", externalPort: "2222"}
`;

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
