import { limitLength, ovnName } from '../naming/ovnName.js';

/**
 * Names of a policy's rows. Port group: `np.<namespace>.<name>` with `-` → `_` (lossless, see
 * naming/ovnName.ts), e.g. `np.prod.allow_web`. ACL `name` column: `np:<namespace>/<name>:<part>`,
 * e.g. `np:prod/allow-web:in0` (ingress rule 0), `np:prod/allow-web:eg-drop`; at most 63
 * characters (the NB schema limit), longer ones end in a hash of the full text.
 */
export interface PolicyRef {
  readonly namespace: string;
  readonly name: string;
}

/** `ns/name`: the key of `options.logging`, and how messages name a policy. */
export const policyKey = (p: PolicyRef): string => `${p.namespace}/${p.name}`;

export const portGroupName = (p: PolicyRef): string => ovnName('np', [p.namespace, p.name]);

export const ACL_NAME_MAX = 63;

export const aclName = (p: PolicyRef, part: string): string => limitLength(`np:${p.namespace}/${p.name}:${part}`, ACL_NAME_MAX);
