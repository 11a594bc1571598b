import type { Capabilities } from '@ovn-nbgen/core';
import type { DatabaseSchema } from './schema.js';

/**
 * What the served NB schema can express, detected by column presence rather than version
 * numbers: ACL `tier` and the `pass` action arrived with OVN 23.06 (NB 7.0.4), NAT
 * `gateway_port` with 22.06 (NB 6.2.0).
 */
export function capabilitiesFromSchema(schema: DatabaseSchema): Capabilities {
  return Object.freeze({
    aclTier: schema.hasColumn('ACL', 'tier'),
    passAction: schema.enumOf('ACL', 'action')?.includes('pass') ?? false,
    natGatewayPort: schema.hasColumn('NAT', 'gateway_port'),
  });
}
