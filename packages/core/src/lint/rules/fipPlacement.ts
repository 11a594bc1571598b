import { OBJECT_KIND_KEY, OBJECT_NAME_KEY } from '../../ownership.js';
import type { LintContext } from '../context.js';
import type { LintFinding } from '../finding.js';

/**
 * NBG009: an OvnFip that runs elsewhere than its spec.type suggests. OVN runs a dnat_and_snat
 * distributed (on the chassis of the pod's port) exactly when the row has both logical_port and
 * external_mac, otherwise centrally on the active gateway chassis.
 *  - spec.type centralized on a pod IP: Kube-OVN's own controller writes port and MAC for every
 *    pod FIP, so under Kube-OVN it runs distributed (its type only toggles `stateless`), while
 *    ovn-nbgen writes it centralized: the two disagree on where the NAT runs and on what survives
 *    losing the gateway nodes.
 *  - with rows given (`options.rows`): any FIP whose NAT rows do not have the placement its type
 *    asks for (rows from an older compile, or edited by hand).
 */
export function fipPlacement(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const fip of ctx.model.nat) {
    if (fip.kind !== 'OvnFip') continue;
    const finding = (message: string, fix: string): LintFinding => ({
      id: 'NBG009',
      check: 'fip-placement',
      severity: 'warning',
      object: `OvnFip ${fip.name}`,
      source: fip.source,
      path: 'spec.type',
      message,
      fix,
    });
    const natRows = ctx.options.rows?.nats.filter((n) => n.externalIds[OBJECT_KIND_KEY] === 'OvnFip' && n.externalIds[OBJECT_NAME_KEY] === fip.name) ?? [];
    if (natRows.length > 0) {
      const runs = natRows.every((n) => n.logicalPort !== null && n.externalMac !== null) ? 'distributed' : 'centralized';
      if (runs !== fip.placement) {
        findings.push(
          finding(
            `spec.type asks for ${fip.placement}, but its NAT rows make OVN run it ${runs}: they ` +
              (runs === 'centralized' ? 'lack logical_port/external_mac, so it runs on the active gateway chassis.' : 'carry logical_port and external_mac, so it runs on the chassis of the pod.'),
            'recompile and apply the rows, or set spec.type to what is meant.',
          ),
        );
        continue;
      }
    }
    if (fip.placement === 'centralized' && fip.ipType === 'ip') {
      findings.push(
        finding(
          "spec.type: centralized on a pod IP: ovn-nbgen runs it on the gateway chassis, but Kube-OVN's own controller " +
          'writes logical_port and external_mac for every pod FIP, so under Kube-OVN this object runs distributed (on the ' +
          "pod's node, which then needs the external network) and keeps working when the gateway nodes are down.",
          'if Kube-OVN also manages this FIP, expect it distributed (drop spec.type); keep centralized only where ovn-nbgen owns the NAT rows.',
        ),
      );
    }
  }
  return findings;
}
