// Hostile names, labels and owners through the exported script into a real ovsdb-server (OVN
// 23.03): every value must arrive byte for byte, and nothing in them may run.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AclRow,
  AddressSetRow,
  capabilitiesForOvnVersion,
  LoadBalancerRow,
  NatRow,
  PortGroupRow,
  renderNbctlScript,
  sortNbRows,
  type NbRows,
} from '../../src/index.js';
import { parseDeletionLimit } from '../../src/subpaths/script.js';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../../../test/harness/ovn.js';
import { canonicalDump, readOwnedRows } from '../../../../test/export/nbDump.js';

const tools = ovnToolsOrSkip('23.03');

describe.skipIf(tools === null)('export script quoting on a real NB (OVN 23.03)', () => {
  let ovn: Ovn;
  let canary: string;
  beforeAll(async () => {
    ovn = await startOvn({ version: '23.03' });
    canary = join(ovn.dir, 'canary');
  });
  afterAll(async () => {
    await ovn?.stop();
  });

  /**
   * A string that breaks out of every quoting layer if any is missing: shell (quotes, $(), backticks,
   * newline, ;), ovsdb syntax ("=", ",", "}", "]", backslash) and CSV (quote, comma). Running any
   * part of it creates a file next to the canary path.
   */
  const hostile = (tag: string): string =>
    `${tag} '$(touch ${canary}-${tag}-a)' "\`touch ${canary}-${tag}-b\`" $(touch ${canary}-${tag}-c)\n` +
    `; touch ${canary}-${tag}-d; x=1,y=2}] \\" \\\\n \t é ${'${IFS}'} --`;

  function hostileRows(owner: string): NbRows {
    const ids = (tag: string): Record<string, string> => ({
      'nbgen/owner': owner,
      [hostile(`key-${tag}`)]: hostile(`value-${tag}`),
    });
    const group = hostile('pg');
    return sortNbRows({
      portGroups: [PortGroupRow({ name: group, ports: [hostile('lsp'), 'plain.port'], externalIds: ids('pg') })],
      addressSets: [AddressSetRow({ name: hostile('as'), addresses: [hostile('addr'), '10.0.0.1'], externalIds: ids('as') })],
      acls: [
        AclRow({
          portGroup: group,
          direction: 'from-lport',
          priority: 1000,
          match: hostile('match'),
          action: 'allow-related',
          name: 'acl "$(touch x)"',
          log: true,
          severity: 'alert',
          meter: hostile('meter'),
          tier: null,
          options: { [hostile('opt')]: hostile('optval') },
          externalIds: ids('acl'),
        }),
      ],
      nats: [
        NatRow({
          router: hostile('router'),
          type: 'dnat_and_snat',
          externalIp: hostile('eip'),
          logicalIp: hostile('lip'),
          logicalPort: hostile('lport'),
          externalMac: hostile('mac'),
          gatewayPort: hostile('lrp'),
          externalPortRange: hostile('range'),
          options: {},
          externalIds: ids('nat'),
        }),
      ],
      loadBalancers: [
        LoadBalancerRow({
          name: hostile('lb'),
          protocol: 'udp',
          vips: { [hostile('vip')]: hostile('backends') },
          routers: [hostile('router')],
          options: { [hostile('lbopt')]: '' },
          externalIds: ids('lb'),
        }),
      ],
    });
  }

  it('writes hostile values byte for byte, twice, and runs none of them', async () => {
    const owner = hostile('owner');
    // The objects the rows refer to, named just as badly (ovn-nbctl takes argv, no shell).
    await ovn.nbctl(['ls-add', hostile('switch')]);
    await ovn.nbctl(['lsp-add', hostile('switch'), hostile('lsp')]);
    await ovn.nbctl(['lsp-add', hostile('switch'), 'plain.port']);
    await ovn.nbctl(['lr-add', hostile('router')]);
    await ovn.nbctl(['lrp-add', hostile('router'), hostile('lrp'), '00:00:00:00:00:01', '192.0.2.1/24']);

    const rows = hostileRows(owner);
    const script = renderNbctlScript(rows, { owner, capabilities: capabilitiesForOvnVersion('23.03') });
    await ovn.runScript(script);
    expect(await readOwnedRows(ovn, owner)).toEqual(rows);
    const once = await canonicalDump(ovn);
    await ovn.runScript(script);
    expect(await canonicalDump(ovn)).toEqual(once);

    expect(readdirSync(ovn.dir).filter((f) => f.startsWith('canary'))).toEqual([]);
    expect(existsSync(join(ovn.toolDir, 'x'))).toBe(false);
  });

  it('removes the hostile rows again when they are no longer wanted', async () => {
    const owner = hostile('owner');
    const none = { portGroups: [], addressSets: [], acls: [], nats: [], loadBalancers: [] };
    // No rows at all: the delete script (`nbgen delete --script`), which has no deletion limit.
    await ovn.runScript(renderNbctlScript(none, { owner, capabilities: capabilitiesForOvnVersion('23.03'), deletionLimit: parseDeletionLimit('100%')! }));
    expect(await readOwnedRows(ovn, owner)).toEqual(sortNbRows(none));
    const dump = await canonicalDump(ovn);
    expect(dump.ACL).toEqual([]);
    expect(dump.NAT).toEqual([]);
    expect(dump.Port_Group).toEqual([]);
    expect(readdirSync(ovn.dir).filter((f) => f.startsWith('canary'))).toEqual([]);
  });
});
