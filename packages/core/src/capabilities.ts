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

/** A target OVN version that is not `MAJOR.MINOR[.PATCH]`. The message names no flag: the CLI adds its own. */
export class OvnVersionError extends Error {
  readonly code = 'NBGEN_OVN_VERSION';
  constructor(readonly version: string) {
    super(`expected MAJOR.MINOR such as 23.03, found ${JSON.stringify(version)}`);
    this.name = 'OvnVersionError';
  }
}

/** What OVN `version` (`23.03`, `22.06.1`) can express; throws OvnVersionError for anything else. */
export function capabilitiesForOvnVersion(version: string): Capabilities {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  if (!m) throw new OvnVersionError(version);
  const numeric = Number(m[1]) * 100 + Number(m[2]);
  return Object.freeze({
    aclTier: numeric >= 2306,
    passAction: numeric >= 2306,
    natGatewayPort: numeric >= 2206,
  });
}
