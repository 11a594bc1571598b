import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runNbgen as nbgen, scratchDirectory } from './inProcessNbgen.js';

// How nbgen reads its input, pinned to kubectl's reading: -f DIR and -R, -n, stdin, and the explain
// arguments that name pods and Services.



const { path: scratch } = scratchDirectory('nbgen-input-');

const cluster = readFileSync(join(repoRoot, 'examples/walkthrough/cluster.yaml'), 'utf8');
const webIngress = readFileSync(join(repoRoot, 'examples/walkthrough/after/web-ingress.yaml'), 'utf8');

describe('-f DIRECTORY reads that directory; -R descends (as kubectl)', () => {
  it('reads only the files of the directory without -R', async () => {
    // examples/walkthrough holds before/ and after/ with same-named policies: only cluster.yaml is read.
    const onlyTop = await nbgen(['render', '-f', 'examples/walkthrough']);
    const clusterOnly = await nbgen(['render', '-f', 'examples/walkthrough/cluster.yaml']);
    expect(onlyTop).toEqual({ ...clusterOnly, code: 0 });
  });

  it('descends with -R and --recursive, in path order', async () => {
    const dir = join(scratch, 'tree');
    mkdirSync(join(dir, 'policies/b'), { recursive: true });
    writeFileSync(join(dir, 'cluster.yaml'), cluster);
    writeFileSync(join(dir, 'policies/b/web.yaml'), webIngress);
    writeFileSync(join(dir, 'policies/broken.yml'), 'kind: [\n');
    const flat = await nbgen(['render', '-f', dir]);
    expect(flat.code).toBe(0);
    for (const flag of ['-R', '--recursive']) {
      expect(await nbgen(['render', '-f', dir, flag])).toEqual({
        code: 2,
        stdout: '',
        stderr: expect.stringMatching(new RegExp(`^${join(dir, 'policies/broken.yml').replaceAll('.', '\\.')}#0: YAML`)),
      });
    }
    rmSync(join(dir, 'policies/broken.yml'));
    const deep = await nbgen(['render', '-f', dir, '-R']);
    expect(deep.code).toBe(0);
    expect(deep.stdout).toContain('np.shop.web_ingress');
    expect(flat.stdout).not.toContain('np.shop.web_ingress');
  });

  it('refuses same-named policies found below a directory with -R, naming both places', async () => {
    expect(await nbgen(['render', '-f', 'examples/walkthrough', '-R'])).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        'examples/walkthrough/before/web-ingress.yaml#0 metadata.name: duplicate NetworkPolicy shop/web-ingress (first defined at examples/walkthrough/after/web-ingress.yaml#0)',
        'examples/walkthrough/nodeport/widened.yaml#0 metadata.name: duplicate NetworkPolicy shop/web-public (first defined at examples/walkthrough/nodeport/office-only.yaml#0)',
        '',
      ].join('\n'),
    });
  });
});

describe('-n/--namespace', () => {
  const unplaced = webIngress.replace('namespace: shop', '').replace('{name: web-ingress, }', '{name: web-ingress}');

  it('places namespaced objects without metadata.namespace (default: default)', async () => {
    expect(unplaced).not.toMatch(/namespace:/);
    const placed = await nbgen(['render', '-f', 'examples/walkthrough/cluster.yaml', '-f', '-', '-n', 'shop'], { stdin: unplaced });
    const given = await nbgen(['render', '-f', 'examples/walkthrough/cluster.yaml', '-f', 'examples/walkthrough/after']);
    expect(placed).toEqual({ ...given, code: 0 });
    const inDefault = await nbgen(['render', '-f', 'examples/walkthrough/cluster.yaml', '-f', '-'], { stdin: unplaced });
    expect(inDefault.code).toBe(0);
    expect(inDefault.stdout).toContain('np.default.web_ingress');
    expect(inDefault.stdout).not.toContain('np.shop.web_ingress');
  });

  it('leaves metadata.namespace as written', async () => {
    const other = await nbgen(['render', '-f', 'examples/walkthrough/cluster.yaml', '-f', 'examples/walkthrough/after', '--namespace', 'monitoring']);
    expect(other.stdout).toContain('np.shop.web_ingress');
  });

  it('is the namespace of --from/--to pods and Services written without one', async () => {
    const input = ['-f', 'examples/walkthrough/cluster.yaml', '-f', 'examples/walkthrough/after'];
    const qualified = await nbgen(['explain', ...input, '--from', 'shop/stranger', '--to', 'shop/web-0', '--port', '8000']);
    expect(qualified.code).toBe(1);
    expect(await nbgen(['explain', ...input, '-n', 'shop', '--from', 'stranger', '--to', 'web-0', '--port', '8000'])).toEqual(qualified);
    const viaService = await nbgen(['explain', ...input, '--from', 'shop/client', '--to', 'svc:shop/web:80']);
    expect(viaService.code).toBe(0);
    expect(await nbgen(['explain', ...input, '-n', 'shop', '--from', 'client', '--to', 'svc:web:80'])).toEqual(viaService);
    expect(await nbgen(['explain', ...input, '--from', 'client', '--to', 'shop/web-0', '--port', '8000'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'nbgen: --from: no Pod default/client in the given manifests\n(see `nbgen help explain`)\n',
    });
  });

  it('must be a DNS-1123 label', async () => {
    const out = await nbgen(['render', '-f', 'examples/walkthrough/cluster.yaml', '-n', 'Shop']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^nbgen: --namespace "Shop": must be a lowercase RFC 1123 label/);
  });
});

describe('standard input', () => {
  it('is cited as <stdin>#N', async () => {
    expect(await nbgen(['render', '-f', '-'], { stdin: `${cluster}\n---\nkind: Pod\napiVersion: v1\nmetadata: {name: Bad}\n` })).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^<stdin>#10 metadata\.name: must be a lowercase RFC 1123 subdomain/),
    });
  });

  it('may be given once', async () => {
    expect(await nbgen(['render', '-f', '-', '-f', 'examples/walkthrough/cluster.yaml', '-f', '-'], { stdin: cluster })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'nbgen: -f - (stdin) can be given once\n(see `nbgen help render`)\n',
    });
  });
});

describe('explain --to svc: and --port', () => {
  const input = ['-f', 'examples/walkthrough/cluster.yaml', '-f', 'examples/walkthrough/after', '--from', 'shop/client'];

  it('refuses a --port that differs from the Service port in --to', async () => {
    expect(await nbgen(['explain', ...input, '--to', 'svc:shop/web:80', '--port', '8000'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'nbgen: --to svc:shop/web:80 names Service port 80 but --port is 8000: give one of them, or the same port\n(see `nbgen help explain`)\n',
    });
    const named = await nbgen(['explain', ...input, '--to', 'svc:shop/web:http', '--port', '8000']);
    expect(named).toEqual({
      code: 2,
      stdout: '',
      stderr: 'nbgen: --to: svc:shop/web:http is Service port 80, but the port asked for is 8000\n(see `nbgen help explain`)\n',
    });
  });

  it('takes the port from --port when --to names no port, and agrees with the same port given twice', async () => {
    const withPort = await nbgen(['explain', ...input, '--to', 'svc:shop/web:80']);
    expect(withPort.code).toBe(0);
    expect(withPort.stdout).toMatch(/^ALLOW  shop\/client -> svc:shop\/web:80  \(TCP port 80, IPv4\)\n/);
    expect(await nbgen(['explain', ...input, '--to', 'svc:shop/web', '--port', '80'])).toEqual(withPort);
    expect(await nbgen(['explain', ...input, '--to', 'svc:shop/web:80', '--port', '80'])).toEqual(withPort);
    const named = await nbgen(['explain', ...input, '--to', 'svc:shop/web:http', '--port', '80']);
    expect({ ...named, stdout: named.stdout.replace('svc:shop/web:http', 'svc:shop/web:80') }).toEqual(withPort);
  });
});
