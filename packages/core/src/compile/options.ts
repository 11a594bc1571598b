import type { Capabilities } from '../capabilities.js';
import type { MatchExpr } from '../match/ast.js';
import type { Pod } from '../model/inventory.js';
import type { AclRow } from '../rows/index.js';

/** ACL logging for the rows of a policy (ovn-nb(5) ACL.log, severity, meter). */
export interface AclLogging {
  readonly severity: 'alert' | 'warning' | 'notice' | 'info' | 'debug';
  readonly meter: string | null;
}

export interface CompileOptions {
  /** Owner name written to every row's external_ids; the reconciler touches only its own rows. */
  readonly owner: string;
  /** What the target OVN can express (tiers, pass, NAT gateway_port). */
  readonly capabilities: Capabilities;
  /** Logical switch port of a pod; Kube-OVN's convention `<pod>.<namespace>` by default. */
  readonly portNameFor: (pod: Pod) => string;
  /**
   * Sources always allowed into isolated pods (and destinations always allowed out of them), e.g.
   * the node/join subnet kubelet probes come from. Canonical CIDRs.
   */
  readonly alwaysAllowCidrs: readonly string[];
  /** Log policy verdicts: per policy key (`ns/name`, or `*` for every policy). */
  readonly logging: Readonly<Record<string, AclLogging>>;
  /**
   * The distributed gateway ports of each VPC router: router → external subnet → LRP name, e.g.
   * `{ vpc1: { ext1: 'vpc1-ext1', ext2: 'vpc1-ext2' } }`. A router listed here has exactly these
   * ports; an unlisted one gets Kube-OVN's `<vpc>-<subnet>` ports from its Vpc's `enableExternal`
   * and `extraExternalSubnets`. With more than one, NAT rows name their port (`gateway_port`).
   */
  readonly natGatewayPorts?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Told each ACL row and the match tree its `match` was printed from (formatMatchExpr), e.g. to
   * judge flows on the rows without parsing them back (`nbgen test`; see ExplainInput.matchTrees).
   */
  readonly onMatchTree?: (row: AclRow, tree: MatchExpr) => void;
}

export const kubeOvnPortName = (pod: Pod): string => `${pod.name}.${pod.namespace}`;

/** What a caller must say (owner and target); every other option has a default. */
export type CompileOptionsInput = Pick<CompileOptions, 'owner' | 'capabilities'> & Partial<CompileOptions>;

/** Options with defaults filled: Kube-OVN port names, no always-allowed CIDRs, no logging. */
export function withCompileDefaults(options: CompileOptionsInput): CompileOptions {
  return { portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {}, ...options };
}
