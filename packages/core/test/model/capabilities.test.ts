import { describe, expect, it } from 'vitest';
import { capabilitiesForOvnVersion, OvnVersionError } from '../../src/index.js';

describe('capabilitiesForOvnVersion', () => {
  it('gives ACL tiers and pass from 23.06, NAT gateway_port from 22.06', () => {
    expect(capabilitiesForOvnVersion('22.03')).toEqual({ aclTier: false, passAction: false, natGatewayPort: false });
    expect(capabilitiesForOvnVersion('22.06.1')).toEqual({ aclTier: false, passAction: false, natGatewayPort: true });
    expect(capabilitiesForOvnVersion('23.06')).toEqual({ aclTier: true, passAction: true, natGatewayPort: true });
  });

  it('refuses a version that is not MAJOR.MINOR with a stable code, naming no CLI flag', () => {
    let thrown: unknown;
    try {
      capabilitiesForOvnVersion('latest');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OvnVersionError);
    expect({ code: (thrown as OvnVersionError).code, version: (thrown as OvnVersionError).version, message: (thrown as Error).message }).toEqual({
      code: 'NBGEN_OVN_VERSION',
      version: 'latest',
      message: 'expected MAJOR.MINOR such as 23.03, found "latest"',
    });
  });
});
