import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAclProgram } from '../../src/explain/aclProgram.js';
import { decidingRuleText, sharedDecidingRules } from '../../src/explain/decidingRule.js';
import { judgeFlow } from '../../src/explain/explainFlow.js';
import { judgePodFlow } from '../../src/explain/podFlow.js';
import { capabilitiesForOvnVersion, compile, FlowQueryError, InputError, kubeOvnPortName, loadModel, type FlowQuery } from '../../src/index.js';
import { runFlowTests, type ExpectedFlow } from '../../src/subpaths/explain.js';

// runFlowTests judges a flow from one OVN pod to another without judgeFlow's explanation
// (judgePodFlow, judge6). Its verdict, deciding rules, rule line and family must be judgeFlow's,
// and every flow it does not take (loopback, no shared family, a bad port, ICMP, via, addresses,
// Services, pods without an OVN port, unknown names) must go to judgeFlow, which judges or
// refuses it: on random clusters (pods of one or both families in either order, hostNetwork pods,
// policies with pod, namespace and ipBlock peers on ports) and random flows.

const NAMESPACES = ['ns-a', 'ns-b'];
const APPS = ['web', 'db', 'client'];
const options = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion('25.03'), portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} };

const podArb = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  app: fc.constantFrom(...APPS),
  ips: fc.constantFrom<readonly ('4' | '6')[]>(['4'], ['4'], ['6'], ['4', '6'], ['4', '6'], ['6', '4'], []),
  hostNetwork: fc.constantFrom(false, false, false, false, false, true),
});

const peerArb = fc.oneof(
  fc.record({ podSelector: fc.constantFrom(...APPS).map((app) => ({ matchLabels: { app } })) }),
  fc.record({ namespaceSelector: fc.constantFrom(...NAMESPACES).map((ns) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } })) }),
  fc.constantFrom({ ipBlock: { cidr: '10.16.0.0/29' } }, { ipBlock: { cidr: '10.16.0.0/24', except: ['10.16.0.2/31'] } }, { ipBlock: { cidr: 'fd00::/125' } }),
);
const ruleArb = fc.record({
  peers: fc.array(peerArb, { maxLength: 2 }),
  ports: fc.array(fc.record({ protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constantFrom(80, 443, 5432) }), { maxLength: 2 }),
});
type PodSpec = { readonly namespace: string; readonly app: string; readonly ips: readonly ('4' | '6')[]; readonly hostNetwork: boolean };
type RuleSpec = { readonly peers: readonly object[]; readonly ports: readonly object[] };
type PolicySpec = { readonly namespace: string; readonly app: string | null; readonly ingress: readonly RuleSpec[] | null; readonly egress: readonly RuleSpec[] | null };
type EndSpec = { readonly pod: number } | string;

const policyArb = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  app: fc.option(fc.constantFrom(...APPS)),
  ingress: fc.option(fc.array(ruleArb, { maxLength: 2 })),
  egress: fc.option(fc.array(ruleArb, { maxLength: 2 })),
});

function clusterText(pods: readonly PodSpec[], policies: readonly PolicySpec[]): string {
  const docs: string[] = NAMESPACES.map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {kubernetes.io/metadata.name: ${ns}}}`);
  pods.forEach((p, i) => {
    const ips = p.ips.map((f) => (f === '4' ? `10.16.0.${i + 1}` : `fd00::${i + 1}`));
    docs.push(
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: ${p.namespace}, labels: {app: ${p.app}}}\n` +
        `spec: {hostNetwork: ${p.hostNetwork}, containers: [{name: c}]}\nstatus: {podIPs: [${ips.map((ip) => `{ip: "${ip}"}`).join(', ')}]}`,
    );
  });
  policies.forEach((p, i) => {
    const types = [...(p.ingress ? ['Ingress'] : []), ...(p.egress ? ['Egress'] : [])];
    const rules = (list: readonly RuleSpec[] | null, key: 'from' | 'to') =>
      (list ?? []).map((r) => ({ ...(r.peers.length > 0 ? { [key]: r.peers } : {}), ...(r.ports.length > 0 ? { ports: r.ports } : {}) }));
    const spec = {
      podSelector: p.app ? { matchLabels: { app: p.app } } : {},
      policyTypes: types.length > 0 ? types : ['Ingress'],
      ...(p.ingress ? { ingress: rules(p.ingress, 'from') } : {}),
      ...(p.egress ? { egress: rules(p.egress, 'to') } : {}),
    };
    docs.push(JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${i}`, namespace: p.namespace }, spec }));
  });
  return docs.join('\n---\n');
}

const endArb = (pods: number): fc.Arbitrary<EndSpec> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.nat({ max: pods - 1 }).map((i): EndSpec => ({ pod: i })) },
    { weight: 1, arbitrary: fc.constantFrom('ns-a/nobody', '10.16.0.1', 'fd00::2', '203.0.113.7', 'svc:ns-a/none:80', 'node:x', 'not a name') },
  );
const flowArb = (pods: number) =>
  fc.record({
    from: endArb(pods),
    to: endArb(pods),
    port: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(80, 443, 5432, 8080) }, { weight: 1, arbitrary: fc.constantFrom(0, 70000, 1.5) }),
    protocol: fc.constantFrom('TCP', 'TCP', 'UDP', 'ICMP') as fc.Arbitrary<FlowQuery['protocol']>,
    family: fc.constantFrom(undefined, undefined, 4 as const, 6 as const),
    via: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant({ pod: 'ns-a/p0' }) }),
  });

describe('runFlowTests on flows from pod to pod', () => {
  it('gives judgeFlow’s verdict, rules, line and family, and leaves every other flow to it', () => {
    let shortcuts = 0;
    let others = 0;
    fc.assert(
      fc.property(
        fc.array(podArb, { minLength: 2, maxLength: 8 }).chain((pods) =>
          fc.tuple(fc.constant(pods), fc.array(policyArb, { maxLength: 4 }), fc.array(flowArb(pods.length), { minLength: 1, maxLength: 12 })),
        ),
        ([pods, policies, specs]) => {
          const { model } = loadModel([{ name: 'c.yaml', text: clusterText(pods, policies) }]);
          const { rows } = compile(model, options);
          const program = buildAclProgram(rows, new Map());
          const name = (end: EndSpec) => (typeof end === 'string' ? end : `${pods[end.pod]!.namespace}/p${end.pod}`);
          const flows: ExpectedFlow[] = specs.map((s, i) => ({
            query: { from: name(s.from), to: name(s.to), port: s.port, protocol: s.protocol, ...(s.family ? { family: s.family } : {}), ...(s.via ? { via: s.via } : {}) },
            expect: 'allow',
            source: { file: 'flows.yaml', doc: 0 },
            path: `[${i}]`,
          }));
          const ours = { portNameFor: kubeOvnPortName };
          for (const flow of flows) {
            let expected: unknown;
            try {
              const e = judgeFlow(program, model, flow.query, ours);
              const deciding = sharedDecidingRules(e);
              expected = { verdict: e.verdict, deciding, decidingText: decidingRuleText(e, deciding), family: e.family };
            } catch (error) {
              if (!(error instanceof FlowQueryError)) throw error;
              expected = `${error.field}: ${error.message}`;
            }
            const judged = judgePodFlow(program, model, flow.query, ours);
            if (judged === null) {
              others++;
            } else {
              shortcuts++;
              // A flow judgeFlow refuses is never taken.
              expect(typeof expected).toBe('object');
            }
            // What nbgen test reports for the flow, through whichever way runFlowTests takes.
            let got: unknown;
            try {
              const [r] = runFlowTests({ inventory: model, rows }, [flow], ours);
              got = { verdict: r!.verdict, deciding: r!.deciding, decidingText: r!.decidingText, family: r!.family };
            } catch (error) {
              if (!(error instanceof InputError)) throw error;
              got = `${error.issues[0]!.path.slice(flow.path.length + 1)}: ${error.issues[0]!.message}`;
            }
            expect(got).toEqual(typeof expected === 'string' ? expected.replace(/^(\w+): \1: /, '$1: ') : expected);
          }
        },
      ),
      { numRuns: 300, seed: 20261205 },
    );
    // Both ways were exercised.
    expect(shortcuts).toBeGreaterThan(200);
    expect(others).toBeGreaterThan(200);
  });
});
