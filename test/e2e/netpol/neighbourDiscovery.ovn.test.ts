// IPv6 neighbour discovery under NetworkPolicy isolation, judged by the real OVN. nbgen writes no
// ACL for ND: ovn-northd itself passes `nd || nd_ra || nd_rs || mldv1 || mldv2` at priority 65532
// in every ACL stage, ahead of any ACL (including a policy's default drop of `ip`). This test pins
// that on the OVN versions we target, so the day it stops holding, the compiler is told.
import { capabilitiesForOvnVersion, compile, DEFAULT_OWNER, kubeOvnPortName, loadModel, renderNbctlScript } from '@ovn-nbgen/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { buildTopology, type Topology } from '../../harness/topology.js';
import { deliveredPorts } from '../../harness/trace.js';

const manifests = `
apiVersion: v1
kind: Pod
metadata: { name: a, namespace: x, labels: { app: a } }
status: { podIPs: [{ ip: "fd00:10:16::a" }] }
---
apiVersion: v1
kind: Pod
metadata: { name: b, namespace: x, labels: { app: b } }
status: { podIPs: [{ ip: "fd00:10:16::b" }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-all, namespace: x }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`;

// 23.03: `action=(next;)` in ls_in_acl; 25.03 splits the stage (ls_in_acl_eval) and marks the verdict.
const ND_PASS = /priority=65532, match=\(nd \|\| nd_ra \|\| nd_rs \|\| mldv1 \|\| mldv2\), action=\((?:reg8\[16\] = 1; )?next;\)/;
const ACL_STAGES: Record<string, readonly string[]> = {
  '23.03': ['ls_in_acl', 'ls_in_acl_after_lb', 'ls_out_acl'],
  '25.03': ['ls_in_acl_after_lb_eval', 'ls_in_acl_eval', 'ls_out_acl_eval'],
};

describe.each(['23.03', '25.03'] as const)('IPv6 neighbour discovery of isolated pods on OVN %s', (version) => {
  const tools = ovnToolsOrSkip(version);
  let ovn: Ovn;
  let topology: Topology;

  beforeAll(async () => {
    if (!tools) return;
    ovn = await startOvn({ version });
    const { model } = loadModel([{ name: 'nd.yaml', text: manifests }]);
    topology = await buildTopology(ovn, { pods: model.pods });
    const capabilities = capabilitiesForOvnVersion(version);
    const { rows } = compile(model, { owner: DEFAULT_OWNER, capabilities, portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} });
    expect(rows.acls.map((acl) => `${acl.direction} ${acl.priority} ${acl.action} ${acl.match}`).sort()).toEqual([
      'from-lport 2000 drop inport == @np.x.deny_all && ip',
      'to-lport 2000 drop outport == @np.x.deny_all && ip',
    ]);
    await ovn.runScript(renderNbctlScript(rows, { owner: DEFAULT_OWNER, capabilities })); // throws ToolError on failure
    await ovn.syncSb();
  });

  afterAll(async () => {
    await ovn?.stop();
  });

  it.skipIf(!tools)('northd passes ND and MLD ahead of the ACLs in every ACL stage', async () => {
    const flows = await ovn.sbctl(['lflow-list', 'ovn-default']);
    const stages = flows
      .split('\n')
      .filter((line) => ND_PASS.test(line))
      .map((line) => /\((ls_(?:in|out)_acl\w*)\s*\)/.exec(line)?.[1])
      .sort();
    expect(stages).toEqual(ACL_STAGES[version]);
  });

  it.skipIf(!tools)('a neighbour solicitation is answered through the deny-all policy while TCP is dropped', async () => {
    const tcp = await ovn.trace(topology.podToPod('x/a', 'x/b', { protocol: 'tcp', port: 80, family: 6 }));
    expect(tcp.verdict).toBe('drop');

    // a asks for b's MAC: to b's solicited-node multicast group, as the kernel sends it.
    const from = topology.podToPod('x/a', 'x/b', { protocol: 'tcp', port: 80, family: 6 }).packet;
    const solicitation = [
      `inport == "${from.inport}"`,
      `eth.src == ${from.ethSrc}`,
      'eth.dst == 33:33:ff:00:00:0b',
      'ip6.src == fd00:10:16::a',
      'ip6.dst == ff02::1:ff00:b',
      'icmp6.type == 135',
      'icmp6.code == 0',
      'nd.target == fd00:10:16::b',
      'ip.ttl == 255',
    ].join(' && ');
    const { stdout } = await ovn.tools.run('ovn-trace', [`--db=${ovn.sbRemote}`, '--ct=new', '--minimal', 'ovn-default', solicitation]);
    // The switch's ND responder (ls_in_arp_rsp) answers for b, which it knows: the advertisement
    // goes back out to a through ls_out_acl, past a's `outport == @pg && ip` drop.
    expect(deliveredPorts(stdout), stdout).toEqual(['a.x']);
    expect(stdout).toMatch(/nd_na/);
  });
});
