import type { CompileOptions } from '../compile/options.js';
import type { Model } from '../model/model.js';
import type { AclRow } from '../rows/index.js';
import { compileClusterPolicies } from './compile.js';

/**
 * The Pass rules as the rows OVN with tiers would get (`pass`), at the priorities they rank at
 * without tiers. Without tiers a Pass writes no row (lower rules of its tier exclude its match
 * instead), so nothing in the NB says that a Pass delegated a flow; explain evaluates these rows
 * beside the real ones to show the same decision chain on both targets. Empty when the target has
 * the `pass` action (the rows are then among the compiled ones).
 *
 * Example: explainFlow({ inventory: model, rows, emulatedPasses: emulatedPassRows(model, options) }, ...)
 */
export function emulatedPassRows(model: Model, options: CompileOptions): AclRow[] {
  if (options.capabilities.passAction || model.clusterPolicies.length === 0) return [];
  // Priorities depend on aclTier only, so with passAction alone switched on the Pass rules come
  // out at the ranks they hold in the emulated bands.
  const withPass = { ...options, capabilities: { ...options.capabilities, passAction: true } };
  return compileClusterPolicies(model, withPass).rows.acls.filter((acl) => acl.action === 'pass');
}
