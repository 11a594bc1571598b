// Test helper: an ACL row as NetworkPolicy compiles one (no name, log, severity, meter or tier),
// spelled with only the fields a test cares about.
import { AclRow } from '@ovn-nbgen/core';

export type PlainAcl = Pick<AclRow, 'portGroup' | 'direction' | 'priority' | 'match' | 'action' | 'externalIds'> & Partial<Pick<AclRow, 'options'>>;

export function plainAcl(fields: PlainAcl): AclRow {
  return AclRow({ name: null, log: false, severity: null, meter: null, tier: null, options: {}, ...fields });
}
