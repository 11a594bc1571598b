import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNbgen } from './inProcessNbgen.js';

const root = join(import.meta.dirname, '../../..');
const E = 'examples/pr-review';
const before = ['-f', `${E}/cluster.yaml`, '-f', `${E}/before`];
const after = ['-f', `${E}/cluster.yaml`, '-f', `${E}/after`];
const scratch = join(root, 'test/.scratch/flow-test-cli');

const nbgen = (...argv: string[]) => runNbgen(argv);

function flowsFile(name: string, text: string): string {
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, name), text);
  return join('test/.scratch/flow-test-cli', name);
}

describe('nbgen test', () => {
  it('exits 0 with "6 passed, 0 failed" when every flow of the example is as expected', async () => {
    expect(await nbgen('test', ...before, '--expect', `${E}/flows.yaml`)).toEqual({ code: 0, stdout: '6 passed, 0 failed\n', stderr: '' });
  });

  it('exits 1 and names the failing flow and the rule that decided it', async () => {
    expect(await nbgen('test', ...after, '--expect', `${E}/flows.yaml`)).toEqual({
      code: 1,
      stdout:
        `FAIL ${E}/flows.yaml#0 flows[3]  shop/api-0 -> shop/db-0 TCP/5432: expected allow, got deny: NetworkPolicy shop/db-ingress rule ingress/default-drop\n` +
        '5 passed, 1 failed\n',
      stderr: '',
    });
  });

  it('-o json gives one record per flow: the flow, expected, verdict and deciding rows', async () => {
    const { code, stdout } = await nbgen('test', ...after, '--expect', `${E}/flows.yaml`, '-o', 'json');
    expect(code).toBe(1);
    const records = JSON.parse(stdout) as { flow: { from: string; to: string; port: number; family: number }; expected: string; verdict: string; deciding: { backend: string | null; rule: string }[] }[];
    expect(records.map((r) => [r.flow.from, r.flow.to, r.flow.port, r.flow.family, r.expected, r.verdict])).toEqual([
      ['shop/client', 'svc:shop/web:80', 80, 4, 'allow', 'allow'],
      ['shop/client', 'svc:shop/web:80', 80, 6, 'allow', 'allow'],
      ['monitoring/prometheus', 'shop/web-0', 9090, 4, 'allow', 'allow'],
      ['shop/api-0', 'shop/db-0', 5432, 4, 'allow', 'deny'],
      ['shop/client', 'shop/db-0', 5432, 4, 'deny', 'deny'],
      ['sandbox/probe', 'svc:shop/web:80', 80, 4, 'deny', 'deny'],
    ]);
    expect(records[5]!.deciding).toEqual([
      { backend: 'shop/web-0', action: 'drop', tier: null, priority: 32767, rule: 'ClusterNetworkPolicy sandbox-stays-out rule ingress/0/ip4' },
    ]);
  });

  it('-o junit writes a JUnit report with one testcase per flow and a failure for the mismatch', async () => {
    const { code, stdout } = await nbgen('test', ...after, '--expect', `${E}/flows.yaml`, '-o', 'junit');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="nbgen test" tests="6" failures="1">/);
    expect(stdout.match(/<testcase /g)).toHaveLength(6);
    expect(stdout).toContain(
      `<testcase classname="${E}/flows.yaml#0" name="flows[3] shop/api-0 -&gt; shop/db-0 TCP/5432 expect allow">\n` +
        '      <failure message="expected allow, got deny" type="verdict">deny: NetworkPolicy shop/db-ingress rule ingress/default-drop</failure>',
    );
  });

  it('takes a bare list in JSON as well as {flows: [...]}', async () => {
    const file = flowsFile('list.json', JSON.stringify([{ from: 'shop/web-0', to: 'shop/api-1', port: 8080, protocol: 'tcp', expect: 'deny' }]));
    expect(await nbgen('test', ...before, '--expect', file)).toEqual({ code: 0, stdout: '1 passed, 0 failed\n', stderr: '' });
  });

  it.each([
    ['an unknown pod', '- {from: shop/nope, to: shop/db-0, port: 5432, expect: allow}\n', ['#0 [0].from: no Pod shop/nope in the given manifests']],
    ['an unknown Service port', '- {from: shop/client, to: "svc:shop/web:81", expect: allow}\n', ['#0 [0].to: Service shop/web has no port 81; its ports: 80 (http)']],
    [
      'a misspelt field and verdict',
      'flows:\n- {from: shop/client, to: shop/db-0, port: 5432, expect: deny}\n- {from: shop/client, to: shop/db-0, prot: 5432, expect: allwo}\n',
      [
        '#0 flows[1].prot: unknown field (expected from, to, port, protocol, family, expect)',
        '#0 flows[1].port: required (except for protocol ICMP, or a svc:NS/NAME:PORT or node:NODE:PORT destination)',
        '#0 flows[1].expect: expected allow or deny, found "allwo"',
      ],
    ],
    ['a bad family', '- {from: shop/client, to: shop/db-0, port: 5432, family: 5, expect: deny}\n', ['#0 [0].family: expected 4 or 6, found 5']],
    ['no list', 'from: shop/client\n', ['#0 from: unknown field: a flows file is a list of flows, or {flows: [...]}']],
  ])('exits 2 on %s, naming file, index and field', async (name, text, messages) => {
    const file = flowsFile(`${name.replace(/ /g, '-')}.yaml`, text);
    const { code, stdout, stderr } = await nbgen('test', ...before, '--expect', file);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toBe(messages.map((m) => `${file}${m}\n`).join(''));
  });

  it('judges NodePort and LoadBalancer targets as explain does (examples/nodeport, held to ovn-trace)', async () => {
    const flows = [
      { from: '192.0.2.10', to: 'node:w2:30080' },
      { from: '192.0.2.10', to: 'node:w2:30081' },
      { from: '192.0.2.10', to: '203.0.113.10', port: 443 },
    ];
    const explained = [];
    for (const f of flows) {
      const argv = ['explain', '-f', 'examples/nodeport', '--from', f.from, '--to', f.to, ...(f.port ? ['--port', String(f.port)] : [])];
      explained.push({ ...f, expect: (await nbgen(...argv)).code === 0 ? 'allow' : 'deny' });
    }
    // Both verdicts occur, so agreement is not agreement on one answer.
    expect(new Set(explained.map((f) => f.expect)).size).toBe(2);
    const file = flowsFile('nodeport.json', JSON.stringify(explained));
    expect(await nbgen('test', '-f', 'examples/nodeport', '--expect', file)).toEqual({ code: 0, stdout: '3 passed, 0 failed\n', stderr: '' });
    const conflicting = flowsFile('nodeport-port.yaml', '- {from: 192.0.2.10, to: "node:w2:30080", port: 30081, expect: deny}\n');
    expect((await nbgen('test', '-f', 'examples/nodeport', '--expect', conflicting)).stderr).toBe(
      `${conflicting}#0 [0].port: node:w2:30080 names port 30080 but port is 30081: give one of them, or the same port\n`,
    );
  });

  it('with --db, a malformed flows file is bad input (exit 2) even when the NB cannot be reached (the flows are parsed while the NB is read)', async () => {
    const bad = flowsFile('bad-db.yaml', '- {from: shop/client, to: shop/db-0, port: 5432, expect: allwo}\n');
    const r = await nbgen('test', '--db', `unix:${scratch}/no-nb.sock`, '--expect', bad);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(`${bad}#0 [0].expect`);
    // A good flows file against that NB: unreachable (exit 4).
    const good = flowsFile('good-db.yaml', '- {from: shop/client, to: shop/db-0, port: 5432, expect: deny}\n');
    expect((await nbgen('test', '--db', `unix:${scratch}/no-nb.sock`, '--expect', good)).code).toBe(4);
  });

  it('exits 2 without --expect or with an unknown format', async () => {
    expect((await nbgen('test', ...before)).stderr).toContain('--expect FLOWS is required');
    expect((await nbgen('test', ...before, '--expect', `${E}/flows.yaml`, '-o', 'xml')).code).toBe(2);
  });
});
