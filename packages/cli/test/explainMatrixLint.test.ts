import { describe, expect, it } from 'vitest';
import { runNbgen } from './inProcessNbgen.js';

const W = 'examples/walkthrough';
const before = ['-f', `${W}/cluster.yaml`, '-f', `${W}/before`];
const after = ['-f', `${W}/cluster.yaml`, '-f', `${W}/after`];

const nbgen = (...argv: string[]) => runNbgen(argv);

describe('nbgen explain', () => {
  it('exits 1 with "verdict": "deny" for the Service port mistake and names the policy and rule', async () => {
    const { code, stdout } = await nbgen('explain', ...before, '--from', 'shop/client', '--to', 'svc:shop/web:80', '-o', 'json');
    expect(code).toBe(1);
    const e = JSON.parse(stdout) as {
      verdict: string;
      paths: { destination: { label: string; port: number }; decidingRows: { stage: string; row: { action: string; origin: unknown } }[] }[];
    };
    expect(e.verdict).toBe('deny');
    expect(e.paths.map((p) => [p.destination.label, p.destination.port, p.decidingRows.map((d) => [d.stage, d.row.action, d.row.origin])])).toEqual([
      ['shop/web-0', 8000, [['to-lport', 'drop', { kind: 'NetworkPolicy', namespace: 'shop', name: 'web-ingress', rule: 'ingress/default-drop' }]]],
      ['shop/web-1', 8000, [['to-lport', 'drop', { kind: 'NetworkPolicy', namespace: 'shop', name: 'web-ingress', rule: 'ingress/default-drop' }]]],
    ]);
  });

  it('exits 0 with "verdict": "allow" after the fix, for the VIP and for a pod IP', async () => {
    const viaVip = await nbgen('explain', ...after, '--from', 'shop/client', '--to', 'svc:shop/web:80', '-o', 'json');
    expect([viaVip.code, (JSON.parse(viaVip.stdout) as { verdict: string }).verdict]).toEqual([0, 'allow']);
    const byIp = await nbgen('explain', ...after, '--from', '10.16.0.20', '--to', '10.16.0.11', '--port', '8000');
    expect(byIp.code).toBe(0);
    expect(byIp.stdout.split('\n')[0]).toBe('ALLOW  10.16.0.20 -> 10.16.0.11  (TCP port 8000, IPv4)');
  });

  it('judges an address outside the switch as entering through the router port', async () => {
    const { code, stdout } = await nbgen('explain', ...after, '--from', '172.18.0.2', '--to', 'shop/web-0', '--port', '8000');
    expect(code).toBe(1);
    expect(stdout).toContain('172.18.0.2 (node worker-1) -> shop/web-0 10.16.0.10:8000: DENY');
  });

  it.each([
    [['--from', 'shop/nope', '--to', 'shop/web-0', '--port', '80'], 'nbgen: --from: no Pod shop/nope in the given manifests'],
    [['--from', 'shop/client', '--to', 'svc:shop/web:81'], 'nbgen: --to: Service shop/web has no port 81; its ports: 80 (http)'],
    [['--from', 'shop/client', '--to', 'shop/web-0'], '--port is required'],
    [['--from', 'shop/client', '--to', 'shop/web-0', '--port', '99999'], '--port: expected a port between 1 and 65535'],
    [['--from', 'shop/client', '--to', 'shop/web-0', '--port', '80', '--protocol', 'ftp'], '--protocol: expected TCP, UDP, SCTP or ICMP'],
    [['--from', 'shop/client'], '--from and --to are required'],
  ])('exits 2 on bad input %j', async (args, message) => {
    const { code, stdout, stderr } = await nbgen('explain', ...after, ...args);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toContain(message);
  });
});

describe('nbgen matrix', () => {
  it('prints one table per protocol and port, as JSON too', async () => {
    const { code, stdout } = await nbgen('matrix', ...after, '--ports', '80,8000', '--protocols', 'TCP,UDP', '-o', 'json');
    expect(code).toBe(0);
    const m = JSON.parse(stdout) as { pods: string[]; tables: { protocol: string; port: number; cells: string[][] }[] };
    expect(m.pods).toEqual(['monitoring/prometheus', 'shop/client', 'shop/stranger', 'shop/web-0', 'shop/web-1']);
    expect(m.tables.map((t) => `${t.protocol}/${t.port}`)).toEqual(['TCP/80', 'TCP/8000', 'UDP/80', 'UDP/8000']);
    // client -> web-0 on TCP 8000 allowed; stranger -> web-0 denied; into the unisolated client all allowed.
    const tcp8000 = m.tables[1]!.cells;
    expect([tcp8000[1]![3], tcp8000[2]![3], tcp8000[3]![1]]).toEqual(['allow', 'deny', 'allow']);
  });

  it('numbers the columns of a 30-pod matrix and keeps rows readable', async () => {
    const pods = Array.from({ length: 30 }, (_, i) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: pod-${i}, namespace: team-${i % 3}, labels: {app: a${i % 5}}}\nstatus: {podIP: 10.16.1.${i + 1}}`,
    );
    const deny = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: team-0}\nspec: {podSelector: {}}';
    const { code, stdout } = await runNbgen(['matrix', '-f', '-'], { stdin: [...pods, deny].join('\n---\n') });
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    // team-0 (10 pods) is isolated: 30 sources × 10 destinations denied, less the 10 pods reaching themselves.
    expect(lines[0]).toBe('TCP/80: 610 of 900 allowed');
    expect(lines[1]).toMatch(/^from \\ to +1  2  3 .* 30$/);
    expect(lines[2]).toMatch(/^ 1 team-0\/pod-0 +\.  X  X /);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(110);
  });
});

describe('nbgen matrix --node-ports (issue 15)', () => {
  it('adds a table to every NodePort and load balancer, the verdicts `nbgen explain --to` gives', async () => {
    const { code, stdout } = await nbgen('matrix', '-f', 'examples/nodeport', '--ports', '8080', '--node-ports');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    const at = lines.indexOf('node ports (NodePort and LoadBalancer Services): 2 of 21 allowed');
    expect(lines.slice(at + 1, at + 6)).toEqual([
      'from \\ to     1 2 3 4 5 6 7',
      '1 shop/client X . X X . X X',
      '2 shop/web-0  X X X X X X X',
      '3 shop/web-1  X X X X X X X',
      'columns: 1 node:w1:30080   2 node:w1:30081   3 node:w1:30443   4 node:w2:30080   5 node:w2:30081   6 node:w2:30443   7 203.0.113.10:443',
    ]);
    for (const [to, port, verdict] of [['node:w1:30081', '30081', 0], ['node:w2:30080', '30080', 1], ['203.0.113.10', '443', 1]] as const) {
      expect((await nbgen('explain', '-f', 'examples/nodeport', '--from', 'shop/client', '--to', to, '--port', port)).code).toBe(verdict);
    }
  });

  it('shows the table per workload and node in markdown', async () => {
    const { code, stdout } = await nbgen('matrix', '-f', 'examples/nodeport', '--ports', '8080', '--node-ports', '-o', 'markdown');
    expect(code).toBe(0);
    expect(stdout).toContain(
      [
        '**NodePorts and load balancers**: 2 pod pairs allowed, 19 denied',
        '',
        '| from \\ to | 1 | 2 | 3 | 4 | 5 | 6 | 7 |',
        '|---|:-:|:-:|:-:|:-:|:-:|:-:|:-:|',
        '| 1 shop/client on w1 (1) | ✗ | ✓ | ✗ | ✗ | ✓ | ✗ | ✗ |',
        '| 2 shop/web-\\* on w1 (1) | ✗ | ✗ | ✗ | ✗ | ✗ | ✗ | ✗ |',
        '| 3 shop/web-\\* on w2 (1) | ✗ | ✗ | ✗ | ✗ | ✗ | ✗ | ✗ |',
        '',
        'columns: 1 node:w1:30080, 2 node:w1:30081, 3 node:w1:30443, 4 node:w2:30080, 5 node:w2:30081, 6 node:w2:30443, 7 203.0.113.10:443',
      ].join('\n'),
    );
  });

  it('leaves the output as it was without the flag, and refuses the flag where there is nothing to add', async () => {
    const plain = await nbgen('matrix', '-f', 'examples/nodeport', '--ports', '8080');
    expect(plain.stdout).not.toContain('node ports');
    const walkthrough = await nbgen('matrix', ...after, '--node-ports');
    expect([walkthrough.code, walkthrough.stderr]).toEqual([2, expect.stringContaining('--node-ports needs a Node with an address and a NodePort or LoadBalancer Service')]);
    const live = await nbgen('matrix', '--db', 'unix:/nonexistent', '--node-ports');
    expect([live.code, live.stderr]).toEqual([2, expect.stringContaining('--node-ports is not available with --db')]);
  });
});

describe('nbgen lint', () => {
  it('exits 1 on the Service port mistake and 0 after the fix', async () => {
    const bad = await nbgen('lint', ...before, '-o', 'json');
    expect(bad.code).toBe(1);
    expect((JSON.parse(bad.stdout) as { findings: { id: string; path: string }[] }).findings.map((f) => [f.id, f.path])).toEqual([
      ['NBG001', 'spec.ingress[0].ports[0].port'],
    ]);
    expect(await nbgen('lint', ...after)).toEqual({ code: 0, stdout: 'no findings\n', stderr: '' });
  });

  it('rejects a bad --pod-cidr with exit 2', async () => {
    const { code, stderr } = await nbgen('lint', ...after, '--pod-cidr', '10.16/16');
    expect(code).toBe(2);
    expect(stderr).toContain('--pod-cidr: expected a CIDR, found "10.16/16"');
  });
});
