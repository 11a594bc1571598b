import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  capabilitiesForOvnVersion,
  compile,
  explainFlow,
  kubeOvnPortName,
  loadModel,
} from '../../src/index.js';
import {
  decidingRuleText,
  flowSpace,
  impactOf,
  impactToJson,
  formatImpactMarkdown,
  judgeFlowSpace,
  podClasses,
} from '../../src/subpaths/explain.js';

const options = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion('25.03'), portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} };

const pod = (name: string, ip: string, labels: Record<string, string>, ports: { name: string; containerPort: number }[] = []) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'app', labels },
  spec: { containers: [{ name: 'c', ports }] },
  status: { podIP: ip },
});
// Three pods with one label set: w-0 and w-1 alike, w-2 inside the ipBlock below, w-3 serving
// port `http` on 9000 instead of 8000.
const cluster = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } },
  pod('w-0', '10.0.0.10', { app: 'w' }, [{ name: 'http', containerPort: 8000 }]),
  pod('w-1', '10.0.0.11', { app: 'w' }, [{ name: 'http', containerPort: 8000 }]),
  pod('w-2', '10.0.9.12', { app: 'w' }, [{ name: 'http', containerPort: 8000 }]),
  pod('w-3', '10.0.0.13', { app: 'w' }, [{ name: 'http', containerPort: 9000 }]),
];
const np = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'app' }, spec });
const version = (...policies: Record<string, unknown>[]) => {
  const { model } = loadModel([{ name: 'm.yaml', text: [...cluster, ...policies].map((o) => stringify(o)).join('---\n') }]);
  return { model, rows: compile(model, options).rows };
};
const ingressFromBlock = np('from-block', {
  podSelector: {},
  ingress: [{ from: [{ ipBlock: { cidr: '10.0.9.0/24' } }], ports: [{ port: 'http' }] }],
});

describe('pod classes', () => {
  it('splits pods with equal labels by ipBlock membership and named ports, and each class verdict is explain’s for its pods', () => {
    const v = version(ingressFromBlock);
    const space = flowSpace([v.model]);
    const classes = podClasses(v.model, space);
    expect(classes.map((c) => [c.label, c.pods.map((p) => p.name)])).toEqual([
      ['app/w-*', ['w-0', 'w-1']],
      ['app/w-2', ['w-2']],
      ['app/w-3', ['w-3']],
    ]);
    const flows = judgeFlowSpace({ inventory: v.model, rows: v.rows }, classes, space, { portNameFor: kubeOvnPortName });
    for (const f of flows.filter((f) => f.from.kind === 'pods' && f.to.kind === 'pods')) {
      for (const from of classes.find((c) => c.key === f.from.key)!.pods) {
        for (const to of classes.find((c) => c.key === f.to.key)!.pods) {
          if (from === to) continue;
          const e = explainFlow({ inventory: v.model, rows: v.rows }, { from: `app/${from.name}`, to: `app/${to.name}`, port: f.port, protocol: f.protocol }, { portNameFor: kubeOvnPortName });
          expect(`${from.name}->${to.name} ${f.port}: ${e.verdict}`).toBe(`${from.name}->${to.name} ${f.port}: ${f.verdict}`);
        }
      }
    }
    // w-2 (inside the block) reaches w-0 on http; w-1 (outside) does not: lumping them would lie.
    const verdict = (from: string, to: string, port: number) => flows.find((f) => f.from.label === from && f.to.label === to && f.port === port)!.verdict;
    expect([verdict('app/w-2', 'app/w-*', 8000), verdict('app/w-*', 'app/w-*', 8000), verdict('app/w-2', 'app/w-3', 9000)]).toEqual(['allow', 'deny', 'allow']);
  });
});

describe('pod classes and labels', () => {
  it('ignores labels no selector reads, and splits by those one does', () => {
    const pods = (version: string) => ({ ...pod('v-0', '10.0.1.1', { app: 'v', version }), metadata: { name: `v-${version}`, namespace: 'app', labels: { app: 'v', version } } });
    const model = (...policies: Record<string, unknown>[]) =>
      loadModel([{ name: 'm.yaml', text: [cluster[0]!, pods('a'), { ...pods('b'), status: { podIP: '10.0.1.2' } }, ...policies].map((o) => stringify(o)).join('---\n') }]).model;
    const labels = (m: ReturnType<typeof model>) => podClasses(m, flowSpace([m])).map((c) => c.pods.map((p) => p.name));
    expect(labels(model())).toEqual([['v-a', 'v-b']]);
    expect(labels(model(np('pick-a', { podSelector: { matchExpressions: [{ key: 'version', operator: 'In', values: ['a'] }] } })))).toEqual([['v-a'], ['v-b']]);
  });
});

describe('flow space', () => {
  it('takes the named ports’ numbers, range ends, one other port, and addresses inside and outside every CIDR and except', () => {
    const v = version(
      ingressFromBlock,
      np('egress', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24', except: ['192.0.2.128/25'] } }], ports: [{ protocol: 'UDP', port: 5000, endPort: 5010 }] }],
      }),
    );
    const space = flowSpace([v.model]);
    expect(space.ports.map((p) => `${p.protocol}/${p.port}${p.other ? ' other' : ''}`)).toEqual(['TCP/8000', 'TCP/9000', 'TCP/65000 other', 'UDP/5000', 'UDP/5010', 'UDP/65000 other']);
    expect(space.outside).toEqual(['10.0.8.255', '10.0.9.1', '192.0.1.255', '192.0.2.1', '192.0.2.127', '192.0.2.129']);
  });
});

describe('impactOf', () => {
  it('finds what removing an except opens, grouped per class pair and port, with the rule after and before', () => {
    const egress = (except: string[]) =>
      np('egress', { podSelector: { matchLabels: { app: 'w' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24', except } }] }] });
    const impact = impactOf(version(egress(['192.0.2.128/25'])), version(egress([])), { portNameFor: kubeOvnPortName });
    expect(impactToJson(impact).changes.map((c) => [c.change, c.from.label, c.from.pods, c.to.label, `${c.protocol}/${c.port}`, c.otherPort, c.after])).toEqual([
      ['opened', 'app/w-*', 3, '192.0.2.129', 'TCP/65000', true, 'allow: NetworkPolicy app/egress rule egress/0/ip4/all'],
      ['opened', 'app/w-3', 1, '192.0.2.129', 'TCP/65000', true, 'allow: NetworkPolicy app/egress rule egress/0/ip4/all'],
    ]);
    expect(impact.changes[0]!.before).toBe('deny: NetworkPolicy app/egress rule egress/default-drop');
  });

  it('reports nothing for equal versions, and markdown caps the table with a count of what was left out', () => {
    const same = impactOf(version(ingressFromBlock), version(ingressFromBlock), { portNameFor: kubeOvnPortName });
    expect(same.changes).toEqual([]);
    const opened = impactOf(version(ingressFromBlock), version(), { portNameFor: kubeOvnPortName });
    expect(opened.changes.length).toBeGreaterThan(2);
    const md = formatImpactMarkdown(opened, 2).split('\n');
    expect(md[0]).toBe(`**nbgen impact**: ${opened.changes.length} changes: ${opened.changes.length} opened, 0 closed (of ${opened.flowsCompared} flows compared)`);
    expect(md.filter((l) => l.startsWith('| 🟢'))).toHaveLength(2);
    expect(md).toContain(`… and ${opened.changes.length - 2} more changes (see \`nbgen impact -o json\`)`);
  });
});

describe('NodePort and LoadBalancer flows (issue 15)', () => {
  const example = join(import.meta.dirname, '../../../../examples/nodeport');
  const nodeCluster = readFileSync(join(example, 'cluster.yaml'), 'utf8');
  const nodePolicies = readFileSync(join(example, 'policies.yaml'), 'utf8');
  const compiled = (...texts: string[]) => {
    const { model } = loadModel(texts.map((text, i) => ({ name: `${i}.yaml`, text })));
    return { model, rows: compile(model, options).rows };
  };

  it('judges every pod class and outside address to node:NODE:nodePort of every Service, each as explain judges it', () => {
    const v = compiled(nodeCluster, nodePolicies);
    const space = flowSpace([v.model]);
    const classes = podClasses(v.model, space);
    const flows = judgeFlowSpace({ inventory: v.model, rows: v.rows }, classes, space, { portNameFor: kubeOvnPortName }).filter((f) => f.to.kind === 'node');
    // 3 Services (30080, 30081, 30443) x 2 nodes, from 2 pod classes and the 5 outside addresses
    // around the 3 ipBlocks (10.16.0.20 is the client pod's own: not outside).
    expect(flows).toHaveLength(3 * 2 * (2 + 5));
    const byKey = new Map(classes.map((c) => [c.key, c]));
    const checked: string[] = [];
    for (const f of flows) {
      const froms = f.from.kind === 'pods' ? byKey.get(f.from.key)!.pods.map((p) => `${p.namespace}/${p.name}`) : [f.from.label];
      const to = f.to.label.split(' ')[0]!;
      for (const from of froms) {
        const e = explainFlow({ inventory: v.model, rows: v.rows }, { from, to, port: f.port, protocol: f.protocol, family: f.family }, { portNameFor: kubeOvnPortName });
        checked.push(`${from} -> ${to}: ${e.verdict} ${decidingRuleText(e)}`);
        expect(`${from} -> ${to}: ${f.verdict} ${f.rule}`).toBe(`${from} -> ${to}: ${e.verdict} ${decidingRuleText(e)}`);
      }
    }
    // Both verdicts occur: the client reaches web-local's nodePort (Local keeps its address, which
    // web-from-clients allows), an address outside 192.0.2.0/24 does not.
    expect(checked).toContain('shop/client -> node:w1:30081: allow allow: NetworkPolicy shop/client-to-nodes rule egress/0/ip4/tcp-30080-30081 + NetworkPolicy shop/web-from-clients rule ingress/0/ip4/tcp-8080');
    expect(checked.some((c) => c.startsWith('192.0.1.255 -> node:w2:30081: deny'))).toBe(true);
  });

  it('lists what a change opens or closes on the nodes’ NodePorts', () => {
    const withoutNodeEgress = nodePolicies.split('\n---\n').filter((doc) => !doc.includes('client-to-nodes')).join('\n---\n');
    const impact = impactOf(compiled(nodeCluster, nodePolicies), compiled(nodeCluster, withoutNodeEgress), { portNameFor: kubeOvnPortName });
    const toNodes = impactToJson(impact).changes.filter((c) => c.to.kind === 'node').map((c) => [c.change, c.from.label, c.to.label, c.port, c.after]);
    expect(toNodes).toEqual([
      ['opened', 'shop/client', 'node:w1:30443 (svc:shop/web-lb:443)', 30443, expect.stringMatching(/^allow: /)],
      ['opened', 'shop/client', 'node:w2:30443 (svc:shop/web-lb:443)', 30443, expect.stringMatching(/^allow: /)],
    ]);
  });
});
