import { AclRow } from '../../src/rows/index.js';

/** The columns a test of ACL rows usually varies; `aclRow` fills the rest. */
export type AclRowFields = Pick<AclRow, 'portGroup' | 'direction' | 'priority' | 'match' | 'action' | 'externalIds'> &
  Partial<Pick<AclRow, 'name' | 'tier' | 'options'>>;

/** An ACL row as NetworkPolicy compiles one: no name, log, severity, meter or tier unless given. */
export function aclRow(fields: AclRowFields): AclRow {
  return AclRow({ name: null, log: false, severity: null, meter: null, tier: null, options: {}, ...fields });
}
