/**
 * What the target OVN Northbound schema can express. `core` never looks at version numbers
 * itself: the live path fills these from the served schema (column presence), the offline path
 * from `--ovn-version` via `capabilitiesForOvnVersion`.
 */
export interface Capabilities {
  /** ACL `tier` column (NB schema >= 7.0.4, OVN >= 23.06). */
  readonly aclTier: boolean;
  /** ACL action `pass` (arrived together with tiers). */
  readonly passAction: boolean;
  /** NAT `gateway_port` column (NB schema >= 6.2.0, OVN >= 22.06). */
  readonly natGatewayPort: boolean;
}

/** The OVN shipped by Debian bookworm, the default target. */
export const DEFAULT_OVN_VERSION = '23.03';

export function capabilitiesForOvnVersion(version: string): Capabilities {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  if (!m) {
    throw new Error(`--ovn-version: expected MAJOR.MINOR such as 23.03, found ${JSON.stringify(version)}`);
  }
  const numeric = Number(m[1]) * 100 + Number(m[2]);
  return Object.freeze({
    aclTier: numeric >= 2306,
    passAction: numeric >= 2306,
    natGatewayPort: numeric >= 2206,
  });
}
