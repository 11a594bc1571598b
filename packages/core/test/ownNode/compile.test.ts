import { describe, expect, it } from 'vitest';
import { capabilitiesForOvnVersion } from '../../src/capabilities.js';
import { compile } from '../../src/compile/compile.js';
import { InputError } from '../../src/errors.js';
import { loadModel } from '../../src/manifests/load.js';
import { kubeOvnPortName } from '../../src/index.js';

const node = (name: string, join: string | null) => `apiVersion: v1
kind: Node
metadata:
  name: ${name}
${join === null ? '' : `  annotations: {ovn.kubernetes.io/ip_address: "${join}"}`}
---
`;
const pod = (name: string, nodeName: string, ip: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: x}
spec: {nodeName: ${nodeName}}
status: {podIP: ${ip}}
---
`;
const denyAll = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: x}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;

const ownNodeRows = (text: string, version = '23.03') => {
  const options = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion(version), portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} };
  const { rows } = compile(loadModel([{ name: 'f.yaml', text }]).model, options);
  return {
    groups: rows.portGroups.filter((pg) => pg.name.startsWith('ownnode.')).map((pg) => `${pg.name} [${pg.ports.join(' ')}]`),
    acls: rows.acls.filter((a) => a.portGroup.startsWith('ownnode.')).map((a) => `${a.direction} ${a.priority} ${a.tier ?? '-'} ${a.action} ${a.match}${a.options['apply-after-lb'] ? ' after-lb' : ''}`),
  };
};

describe('own-node allow rows', () => {
  it('one port group per node with its pods by spec.nodeName, an allow each way per join address', () => {
    const text = node('w-1', '100.64.0.2,fd00:100:64::2') + node('w2', '100.64.0.3') + node('w3', null) + pod('a', 'w-1', '10.16.0.10') + pod('b', 'w2', '10.16.0.11') + denyAll;
    expect(ownNodeRows(text)).toEqual({
      groups: ['ownnode.w2 [b.x]', 'ownnode.w_1 [a.x]'],
      acls: [
        'from-lport 2002 - allow-related inport == @ownnode.w2 && ip4.dst == 100.64.0.3 after-lb',
        'to-lport 2002 - allow-related outport == @ownnode.w2 && ip4.src == 100.64.0.3',
        'from-lport 2002 - allow-related inport == @ownnode.w_1 && ip4.dst == 100.64.0.2 after-lb',
        'from-lport 2002 - allow-related inport == @ownnode.w_1 && ip6.dst == fd00:100:64::2 after-lb',
        'to-lport 2002 - allow-related outport == @ownnode.w_1 && ip4.src == 100.64.0.2',
        'to-lport 2002 - allow-related outport == @ownnode.w_1 && ip6.src == fd00:100:64::2',
      ],
    });
    expect(ownNodeRows(text, '25.03').acls[0]).toBe('from-lport 2002 2 allow-related inport == @ownnode.w2 && ip4.dst == 100.64.0.3 after-lb');
  });

  it('follows pod placement: a pod moved to another node moves to that node\'s group', () => {
    const before = node('w1', '100.64.0.2') + node('w2', '100.64.0.3') + pod('a', 'w1', '10.16.0.10') + pod('b', 'w2', '10.16.0.11') + denyAll;
    const after = before.replace('spec: {nodeName: w2}', 'spec: {nodeName: w1}');
    expect(ownNodeRows(before).groups).toEqual(['ownnode.w1 [a.x]', 'ownnode.w2 [b.x]']);
    expect(ownNodeRows(after).groups).toEqual(['ownnode.w1 [a.x b.x]', 'ownnode.w2 []']);
  });

  it('writes nothing without a policy (as Kube-OVN), and rejects a malformed join address at its field', () => {
    expect(ownNodeRows(node('w1', '100.64.0.2') + pod('a', 'w1', '10.16.0.10'))).toEqual({ groups: [], acls: [] });
    let error: unknown;
    try {
      loadModel([{ name: 'f.yaml', text: node('w1', '100.64.0.2,100.64.0.9') + node('w2', 'nope') }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message.split('\n')).toEqual([
      'f.yaml#0 metadata.annotations.ovn.kubernetes.io/ip_address: must be one IP address per family, comma-separated',
      'f.yaml#1 metadata.annotations.ovn.kubernetes.io/ip_address: must be one IP address per family, comma-separated',
    ]);
  });
});
