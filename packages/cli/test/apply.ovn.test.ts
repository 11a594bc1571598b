// `nbgen diff` and `nbgen apply` against a real standalone ovsdb-server (unix and ssl remotes):
// exit statuses, what they print, that apply writes the rows and a second diff finds nothing,
// that --dry-run writes nothing, and that an exported script and apply agree (diff after the
// script reports nothing).
import { beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runNbgen as nbgen } from './inProcessNbgen.js';
import { createPki, makeTempDir, removeTempDir, run as runTool } from '../../../test/harness/ovsdbServer.js';
import { standaloneNbPerFile, tempDirPerFile } from '../../../test/harness/ovsdbServerPerFile.js';
import { resetToUnderlayServiceSwitch } from './underlayServiceNb.js';

const pkiDir = tempDirPerFile('nbgen-pki-');
const { nb, nbctl } = standaloneNbPerFile(async () => {
  const pki = await createPki(pkiDir());
  (globalThis as { pki?: typeof pki }).pki = pki;
  return { ssl: pki };
});

beforeEach(async () => {
  await resetToUnderlayServiceSwitch(nbctl);
});

describe('nbgen diff / apply on a real NB', () => {
  it('diff lists what apply writes (exit 1), apply writes it, then diff finds nothing (exit 0)', async () => {
    const db = ['--db', nb().remotes.unix!];
    const before = await nbgen(['diff', '-f', 'examples/underlay-service', ...db]);
    expect(before.stderr).toBe('');
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('+ Port_Group np.shop.client_egress\n');
    expect(before.stdout).toMatch(/^\+ ACL np\.shop\.client_egress egress\/default-drop$/m);

    const dry = await nbgen(['apply', '-f', 'examples/underlay-service', ...db, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('(dry run: nothing written)');
    expect((await nbctl('--bare', '--columns=name', 'list', 'Port_Group')).trim()).toBe('');

    const applied = await nbgen(['apply', '-f', 'examples/underlay-service', ...db]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^Port_Group: 1 inserted, 0 updated, 0 deleted$/m);
    expect(applied.stdout).toMatch(/^committed: \d+ operations in 1 transaction \(.* KiB\)$/m);
    expect((await nbctl('--bare', '--columns=name', 'list', 'Port_Group')).trim()).toBe('np.shop.client_egress');

    expect(await nbgen(['diff', '-f', 'examples/underlay-service', ...db])).toEqual({ code: 0, stdout: '', stderr: '' });
    const again = await nbgen(['apply', '-f', 'examples/underlay-service', ...db]);
    expect(again).toEqual({ code: 0, stdout: 'no changes\n', stderr: '' });
  });

  it('after the exported script, diff reports nothing; after the manifests change, it shows the change', async () => {
    const exported = await nbgen(['export', '-f', 'examples/underlay-service']);
    await runTool('bash', ['-c', `OVN_NB_DB=${nb().remotes.unix} bash -c "$0"`, exported.stdout]);
    expect(await nbgen(['diff', '-f', 'examples/underlay-service', '--db', nb().remotes.unix!])).toEqual({ code: 0, stdout: '', stderr: '' });
    // The client's egress now also allows UDP 53: one ACL more, the others untouched.
    const dir = await makeTempDir('nbgen-diff-');
    const policy = readFileSync(join(repoRoot, 'examples/underlay-service/client-egress.yaml'), 'utf8').replace(
      /(\n\s*)- protocol: TCP\n(\s*)port: 8000/,
      '$1- protocol: TCP\n$2port: 8000$1- protocol: UDP\n$2port: 53',
    );
    writeFileSync(join(dir, 'policy.yaml'), policy);
    const changed = await nbgen(['diff', '-f', 'examples/underlay-service/cluster.yaml', '-f', join(dir, 'policy.yaml'), '--db', nb().remotes.unix!]);
    await removeTempDir(dir);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^\+ ACL np\.shop\.client_egress \S*udp-53$/m);
    expect(changed.stdout).not.toMatch(/^[-~] /m);
  });

  it('talks TLS to an ssl: remote with the ovn-nbctl style key, certificate and CA flags', async () => {
    const pki = (globalThis as { pki?: Awaited<ReturnType<typeof createPki>> }).pki!;
    const tls = ['--private-key', pki.client.privateKeyFile, '--certificate', pki.client.certificateFile, '--ca-cert', pki.caCertFile];
    const applied = await nbgen(['apply', '-f', 'examples/underlay-service', '--db', nb().remotes.ssl!, ...tls, '--owner', 'tls-owner']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect((await nbctl('--bare', '--columns=external_ids', 'list', 'Port_Group')).trim()).toContain('nbgen/owner=tls-owner');
  });

  it('fails with exit 4 and a message when the database cannot be reached, exit 2 on bad flags', async () => {
    const unreachable = await nbgen(['diff', '-f', 'examples/underlay-service', '--db', `unix:${nb().dir}/nothing.sock`]);
    expect(unreachable.code).toBe(4);
    expect(unreachable.stderr).toMatch(/^nbgen: .*\(OVSDB_CONNECT_FAILED\)\n$/);
    expect(unreachable.stdout).toBe('');
    const half = await nbgen(['apply', '-f', 'examples/underlay-service', '--db', nb().remotes.ssl!, '--ca-cert', '/x']);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('--private-key, --certificate and --ca-cert go together');
    const version = await nbgen(['apply', '-f', 'examples/underlay-service', '--ovn-version', '23.03']);
    expect(version.code).toBe(2);
  });

  it('refuses, with exit 4, to take over a port group that belongs to someone else', async () => {
    await nbctl('pg-add', 'np.shop.client_egress');
    const r = await nbgen(['apply', '-f', 'examples/underlay-service', '--db', nb().remotes.unix!]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('nbgen: Port_Group np.shop.client_egress exists and is not owned by nbgen; not touching it (NBGEN_RECONCILE_CONFLICT)\n');
  });
});
