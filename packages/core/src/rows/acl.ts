import type { ExternalIds } from '../ownership.js';
import { frozenMap } from './frozenMap.js';

/** OVN ACL actions (ovn-nb(5) ACL.action). `pass` exists only with ACL tiers (OVN >= 23.06). */
export type AclAction = 'allow' | 'allow-related' | 'allow-stateless' | 'drop' | 'reject' | 'pass';
export type AclDirection = 'from-lport' | 'to-lport';
export type AclSeverity = 'alert' | 'warning' | 'notice' | 'info' | 'debug';

/**
 * One row of the NB `ACL` table. ACL is a non-root table: the row lives only while a Port_Group
 * references it, so every ACL names the port group that owns it (`portGroup`); the writer adds it
 * to `Port_Group.acls` in the same transaction.
 */
export interface AclRow {
  readonly table: 'ACL';
  readonly portGroup: string;
  readonly direction: AclDirection;
  readonly priority: number;
  readonly match: string;
  readonly action: AclAction;
  /** ACL `name` column; at most 63 characters (OVN truncates longer names in logs). */
  readonly name: string | null;
  readonly log: boolean;
  readonly severity: AclSeverity | null;
  readonly meter: string | null;
  /** ACL `tier` column (OVN >= 23.06); null when the target OVN has no tiers. */
  readonly tier: number | null;
  readonly options: Readonly<Record<string, string>>;
  readonly externalIds: ExternalIds;
}

export function AclRow(fields: Omit<AclRow, 'table'>): AclRow {
  // Field by field, not `{ table, ...fields }`: a spread after a literal key copies through V8's
  // generic path, once for each of 20,000 ACLs at 10,000 policies. Same keys, same order.
  return Object.freeze({
    table: 'ACL',
    portGroup: fields.portGroup,
    direction: fields.direction,
    priority: fields.priority,
    match: fields.match,
    action: fields.action,
    name: fields.name,
    log: fields.log,
    severity: fields.severity,
    meter: fields.meter,
    tier: fields.tier,
    options: frozenMap(fields.options),
    externalIds: frozenMap(fields.externalIds),
  });
}
