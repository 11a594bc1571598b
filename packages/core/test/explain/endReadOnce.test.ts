import { describe, expect, it } from 'vitest';
import { buildAclProgram } from '../../src/explain/aclProgram.js';
import { decidingRules, sharedDecidingRules } from '../../src/explain/decidingRule.js';
import { endAddressOf, resolveEndpoint } from '../../src/explain/endpoints.js';
import { judgeFlow } from '../../src/explain/explainFlow.js';
import { judgeDirect, judgeDirectPath, judgePath } from '../../src/explain/path.js';
import { capabilitiesForOvnVersion, compile, FlowQueryError, kubeOvnPortName, loadModel, type FlowQuery } from '../../src/index.js';
import { parseIp } from '../../src/net/ip.js';

// judgeFlow's packets take each end's address value from the parse that picked the address
// (endAddressOf), not from parsing the text again. The value must be that address's, in the family
// picked: judged against judgeDirect, which parses the address texts it is given, on pods whose
// addresses are listed in either order and ipBlock rules that tell sources, destinations and
// families apart.

const pod = (name: string, ips: string[], app: string): string => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ns, labels: {app: ${app}}}
status: {podIPs: [${ips.map((ip) => `{ip: "${ip}"}`).join(', ')}]}
---`;

const cluster = [
  pod('a', ['10.16.0.1', 'fd00::1'], 'client'),
  pod('b', ['fd00::2', '10.16.0.2'], 'client'),
  pod('c', ['10.16.0.3'], 'server'),
  pod('d', ['fd00::4', '10.16.0.4'], 'server'),
  pod('e', ['fd00::5'], 'server'),
  `
apiVersion: v1
kind: Pod
metadata: {name: host, namespace: ns, labels: {app: server}}
spec: {hostNetwork: true}
status: {podIPs: [{ip: "192.168.0.9"}]}
---`,
  `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: servers, namespace: ns}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{ipBlock: {cidr: 10.16.0.0/30}}, {ipBlock: {cidr: "fd00::2/127"}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: clients, namespace: ns}
spec:
  podSelector: {matchLabels: {app: client}}
  egress:
  - to: [{ipBlock: {cidr: 10.16.0.4/32}}, {ipBlock: {cidr: "fd00::4/126"}}]
`,
].join('\n');

describe('judgeFlow reads each end once', () => {
  const { model } = loadModel([{ name: 'c.yaml', text: cluster }]);
  const options = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion('25.03'), portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} };
  const { rows } = compile(model, options);
  const program = buildAclProgram(rows, new Map());
  const names = ['a', 'b', 'c', 'd', 'e'];
  const pods = new Map(model.pods.map((p) => [p.name, p]));

  it('gives the value of the address picked, in its family', () => {
    for (const name of names) {
      const end = resolveEndpoint(model, `ns/${name}`, 'from');
      for (const family of [4, 6] as const) {
        const address = endAddressOf(end, family);
        const expected = (end.kind === 'pod' ? end.pod.ips : []).find((ip) => parseIp(ip)?.family === family) ?? null;
        expect(address?.ip ?? null).toBe(expected);
        if (address !== null) expect(address.value).toBe(parseIp(address.ip)!.value);
      }
    }
    const outside = resolveEndpoint(model, '203.0.113.9', 'from');
    expect(endAddressOf(outside, 4)).toEqual({ ip: '203.0.113.9', value: parseIp('203.0.113.9')!.value });
    expect(endAddressOf(outside, 6)).toBeNull();
  });

  it('judges every pair and family as judgeDirect does on the address texts', () => {
    const probe = { protocol: 'tcp', sourcePort: 40000 } as const;
    let judged = 0;
    const verdicts = new Set<string>();
    for (const from of names) {
      for (const to of names) {
        if (from === to) continue;
        for (const family of [4, 6] as const) {
          let flow;
          try {
            flow = judgeFlow(program, model, { from: `ns/${from}`, to: `ns/${to}`, port: 80, protocol: 'TCP', family }, { portNameFor: kubeOvnPortName });
          } catch {
            continue; // no address of that family at one end
          }
          const path = flow.paths[0]!;
          const direct = judgeDirect(program, { ...probe, family }, path.source.logicalPort, path.destination.logicalPort, path.source.ip, path.destination.ip, 80);
          expect([from, to, family, flow.verdict, path.decidingRows.map((d) => d.row)]).toEqual([from, to, family, direct.verdict, direct.rows]);
          // The list nbgen test keeps (shared between flows decided by the same row) is decidingRules'.
          expect(sharedDecidingRules(flow)).toEqual(decidingRules(flow));
          verdicts.add(flow.verdict);
          judged++;
        }
      }
    }
    // Both verdicts occur, on flows of both families.
    expect(verdicts).toEqual(new Set(['allow', 'deny']));
    expect(judged).toBe(24);
  });

  it('names a pod end\'s port by the naming function of each call (one end object per pod, its name kept per function)', () => {
    const byNamespace = (p: { namespace: string; name: string }): string => `${p.namespace}_${p.name}`;
    const query = { from: 'ns/a', to: 'ns/c', port: 80, protocol: 'TCP' } as const;
    const ports = (portNameFor: typeof kubeOvnPortName) => {
      const path = judgeFlow(program, model, query, { portNameFor }).paths[0]!;
      return [path.source.logicalPort, path.destination.logicalPort];
    };
    const kubeOvn = ports(kubeOvnPortName);
    expect(ports(byNamespace)).toEqual(['ns_a', 'ns_c']);
    expect(ports(kubeOvnPortName)).toEqual(kubeOvn);
    expect(kubeOvn).not.toEqual(['ns_a', 'ns_c']);
    expect(resolveEndpoint(model, 'ns/a', 'from')).toBe(resolveEndpoint(model, '10.16.0.1', 'to'));
  });

  it('judges a flow to a pod named NS/NAME as the same flow to its address, and refuses the same flows as before', () => {
    const options = { portNameFor: kubeOvnPortName };
    for (const [to, ip] of [['ns/c', '10.16.0.3'], ['ns/d', '10.16.0.4'], ['ns/e', 'fd00::5']] as const) {
      const byName = judgeFlow(program, model, { from: 'ns/a', to, port: 80, protocol: 'TCP' }, options);
      const byAddress = judgeFlow(program, model, { from: 'ns/a', to: ip, port: 80, protocol: 'TCP' }, options);
      expect({ ...byName, to: ip }).toEqual(byAddress);
    }
    const refusal = (query: Partial<FlowQuery>): string => {
      try {
        judgeFlow(program, model, { from: 'ns/a', to: 'ns/c', port: 80, protocol: 'TCP', ...query }, options);
      } catch (e) {
        if (e instanceof FlowQueryError) return `${e.field}: ${e.message}`;
        throw e;
      }
      return 'judged';
    };
    expect(refusal({ to: 'ns/host' })).toBe('to: to: Pod ns/host has no OVN port (hostNetwork or no status.podIPs)');
    expect(refusal({ to: 'ns/nothing' })).toBe('to: to: no Pod ns/nothing in the given manifests');
    expect(refusal({ via: { pod: 'ns/d' } })).toBe('via: via: ns/c is a pod, not a VIP');
    expect(refusal({ to: 'node:ns/c' })).toBe('to: to: expected node:NODE:PORT, found "node:ns/c"');
  });

  it('judges a direct flow as judgePath does on its one hop (judgeDirectPath)', () => {
    const seen = new Set<string>();
    for (const from of names) {
      for (const to of names) {
        for (const family of [4, 6] as const) {
          const a = endAddressOf(resolveEndpoint(model, `ns/${from}`, 'from'), family);
          const b = endAddressOf(resolveEndpoint(model, `ns/${to}`, 'to'), family);
          if (a === null || b === null) continue;
          for (const port of [80, null]) {
            const [inport, outport] = [kubeOvnPortName(pods.get(from)!), kubeOvnPortName(pods.get(to)!)];
            const hop = { inport, outport, src: a.ip, dst: { ip: b.ip, port } };
            const expected = judgePath(program, { family, protocol: 'tcp', sourcePort: 40000 }, [hop]);
            const direct = judgeDirectPath(program, family, 'tcp', 40000, inport, outport, a.value, b.value, port);
            expect(direct).toEqual(expected);
            direct.decidingRows.forEach((row, i) => expect(row).toBe(expected.decidingRows[i]));
            seen.add(`${direct.verdict} ${direct.decidingRows.length}`);
          }
        }
      }
    }
    // Denies, and allows decided by one row or two (egress and ingress).
    expect(seen).toEqual(new Set(['deny 1', 'allow 2', 'allow 1']));
  });
});
