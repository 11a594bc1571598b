// examples/underlay-service, exported with `nbgen export` and judged by ovn-trace (OVN 23.03): the
// policy written with the pod port lets the client reach the Service; the one written with the
// Service port does not. Expected verdicts come from Kubernetes semantics: NetworkPolicy ports are
// the pod's (target) ports, matched after the Service's DNAT.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadModel, type ManifestSource } from '@ovn-nbgen/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run, type CliIo } from '../../packages/cli/src/index.js';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../harness/ovn.js';
import { buildTopology, type Topology } from '../harness/topology.js';
import type { TraceQuery, Verdict } from '../harness/trace.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const example = 'examples/underlay-service';

/** `nbgen export ARGS` in-process, from the repository root. */
async function exportScript(args: readonly string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => '',
    cwd: repoRoot,
  };
  const code = await run(['export', ...args], io);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return stdout;
}

const tools = ovnToolsOrSkip('23.03');

describe.skipIf(tools === null)('examples/underlay-service on OVN 23.03', () => {
  let ovn: Ovn;
  let topology: Topology;
  beforeAll(async () => {
    ovn = await startOvn({ version: '23.03' });
  });
  afterAll(async () => {
    await ovn?.stop();
  });
  beforeEach(async () => {
    await ovn.resetNb();
    const cluster: ManifestSource = { name: 'cluster.yaml', text: readFileSync(resolve(repoRoot, example, 'cluster.yaml'), 'utf8') };
    const { model } = loadModel([cluster]);
    // The Service as Kube-OVN programs it: a switch load balancer 10.96.0.80:80 → 10.16.0.10:8000.
    topology = await buildTopology(ovn, {
      pods: model.pods,
      loadBalancers: [{ name: 'cluster-tcp-loadbalancer', protocol: 'tcp', vips: { '10.96.0.80:80': ['10.16.0.10:8000'] } }],
    });
  });

  // No --lb-dst: ovn-trace would apply it at the argument-less ct_lb_mark of ls_in_pre_stateful,
  // i.e. DNAT before the ACL stage, which the datapath does not do for a new connection. Without
  // it ovn-trace picks the (only) backend at ls_in_lb, like OVS.
  const viaService = (): TraceQuery =>
    topology.podToAddress('shop/client', '10.96.0.80', { protocol: 'tcp', port: 80 }, 'shop/frontend');
  const direct = (port: number): TraceQuery => topology.podToPod('shop/client', 'shop/frontend', { protocol: 'tcp', port, family: 4 });

  async function verdicts(): Promise<Record<string, Verdict>> {
    return {
      'client → Service 10.96.0.80:80': (await ovn.trace(viaService())).verdict,
      'client → frontend 10.16.0.10:8000': (await ovn.trace(direct(8000))).verdict,
      'client → frontend 10.16.0.10:80': (await ovn.trace(direct(80))).verdict,
    };
  }

  it('without any policy, everything is allowed', async () => {
    expect(await verdicts()).toEqual({
      'client → Service 10.96.0.80:80': 'allow',
      'client → frontend 10.16.0.10:8000': 'allow',
      'client → frontend 10.16.0.10:80': 'allow',
    });
  });

  it('the policy with the pod port (8000) lets the client reach the Service on 80', async () => {
    await ovn.runScript(await exportScript(['-f', example]));
    expect(await verdicts()).toEqual({
      'client → Service 10.96.0.80:80': 'allow',
      'client → frontend 10.16.0.10:8000': 'allow',
      'client → frontend 10.16.0.10:80': 'drop',
    });
  });

  it('without apply-after-lb, the policy with the pod port silently blocks the Service (the field report)', async () => {
    // The switch pipeline runs ls_in_acl before ls_in_lb: an egress ACL in the ordinary stage sees
    // 10.96.0.80:80, so the allow for 8000 does not match and the default drop takes the
    // connection. apply-after-lb moves the ACLs to ls_in_acl_after_lb, after the DNAT.
    const script = await exportScript(['-f', example]);
    const beforeLb = script.replaceAll(`'options={"apply-after-lb"="true"}'`, `'options={}'`);
    expect(beforeLb).not.toBe(script);
    await ovn.runScript(beforeLb);
    expect(await verdicts()).toEqual({
      'client → Service 10.96.0.80:80': 'drop',
      'client → frontend 10.16.0.10:8000': 'allow',
      'client → frontend 10.16.0.10:80': 'drop',
    });
  });

  it('the policy with the Service port (80) blocks the Service', async () => {
    await ovn.runScript(await exportScript(['-f', `${example}/cluster.yaml`, '-f', `${example}/wrong/client-egress-port-80.yaml.example`]));
    expect(await verdicts()).toEqual({
      'client → Service 10.96.0.80:80': 'drop',
      'client → frontend 10.16.0.10:8000': 'drop',
      'client → frontend 10.16.0.10:80': 'allow',
    });
  });
});
