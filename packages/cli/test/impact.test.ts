import { describe, expect, it } from 'vitest';
import { spreadPathLists } from '../src/commands/impact.js';
import { runNbgen } from './inProcessNbgen.js';

const E = 'examples/pr-review';

const nbgen = (...argv: string[]) => runNbgen(argv);

describe('nbgen impact', () => {
  it('exits 0 and says so when both versions judge every flow alike', async () => {
    const out = await nbgen('impact', '--before', `${E}/cluster.yaml`, `${E}/before`, '--after', `${E}/cluster.yaml`, `${E}/before`);
    expect(out).toEqual({ code: 0, stdout: 'no change: 238 flows compared, every verdict the same\n', stderr: '' });
  });

  it('-o json lists each change with its ends, pods, port, families and rules', async () => {
    const out = await nbgen('impact', '--before', `${E}/cluster.yaml`, '--before', `${E}/before`, '--after', `${E}/cluster.yaml`, `${E}/after`, '-o', 'json');
    expect(out.code).toBe(1);
    const json = JSON.parse(out.stdout) as { opened: number; closed: number; changes: { change: string; from: { label: string; pods: number }; to: { label: string }; port: number; families: number[] }[] };
    expect([json.opened, json.closed]).toEqual([2, 1]);
    expect(json.changes.map((c) => [c.change, c.from.label, c.from.pods, c.to.label, c.port, c.families])).toEqual([
      ['closed', 'shop/api-*', 2, 'shop/db-0', 5432, [4, 6]],
      ['opened', 'shop/web-*', 2, 'shop/api-*', 8080, [4, 6]],
      ['opened', 'shop/web-*', 2, 'svc:shop/api:8080', 8080, [4, 6]],
    ]);
  });

  it.each([
    [['--before', `${E}/cluster.yaml`], '--before PATH... and --after PATH... are required'],
    [['--before', `${E}/cluster.yaml`, '--after', `${E}/nope`], `${E}/nope: no such file or directory`],
    [['--before', `${E}/cluster.yaml`, '--after', `${E}/cluster.yaml`, '-o', 'svg'], '--output: expected text, json, markdown'],
  ])('exits 2 on bad input %j', async (args, message) => {
    const out = await nbgen('impact', ...args);
    expect([out.code, out.stdout]).toEqual([2, '']);
    expect(out.stderr).toContain(message);
  });

  it('gives the paths after --before/--after to that flag', () => {
    expect(spreadPathLists(['--before', 'a', 'b', '-o', 'json', '--after', 'c', '--owner', 'x'])).toEqual(['--before', 'a', '--before', 'b', '-o', 'json', '--after', 'c', '--owner', 'x']);
    expect(spreadPathLists(['--after'])).toEqual(['--after']);
  });
});

describe('nbgen matrix -o markdown', () => {
  it('prints one table per port with a row and column per workload, its pod count and the totals in pod pairs', async () => {
    const out = await nbgen('matrix', '-f', 'examples/walkthrough/cluster.yaml', '-f', 'examples/walkthrough/after', '--ports', '8000', '-o', 'markdown');
    expect(out).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        '**nbgen matrix**: 5 pods in 4 workloads (pods policies cannot tell apart), 2 namespaces',
        '',
        '**TCP/8000**: 14 pod pairs allowed, 6 denied',
        '',
        '| from \\ to | 1 | 2 | 3 | 4 |',
        '|---|:-:|:-:|:-:|:-:|',
        '| 1 monitoring/prometheus (1) | ∘ | ✓ | ✓ | ✗ |',
        '| 2 shop/client (1) | ✓ | ∘ | ✓ | ✓ |',
        '| 3 shop/stranger (1) | ✓ | ✓ | ∘ | ✗ |',
        '| 4 shop/web-\\* (2) | ✓ | ✓ | ✓ | ✗ |',
        '',
        '✓ allowed, ✗ denied, – no common address family, ∘ a single pod to itself; rows: from, columns: to (numbered like the rows); (N) pods in the workload',
        '',
      ].join('\n'),
    });
  });

  it('exits 2 on an unknown format', async () => {
    const out = await nbgen('matrix', '-f', 'examples/walkthrough/cluster.yaml', '-o', 'svg');
    expect([out.code, out.stderr]).toEqual([2, 'nbgen: --output: expected text, json, markdown or html, found "svg"\n(see `nbgen help matrix`)\n']);
  });
});
