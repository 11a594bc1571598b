import type { Model } from '../model/model.js';
import { compileNat } from '../nat/compile.js';
import { compileNetworkPolicies } from '../netpol/compile.js';
import { mergeNbRows } from '../rows/index.js';
import { compileClusterPolicies } from '../tiers/compile.js';
import { SelectionIndex } from '../selection/index.js';
import { withCompileDefaults, type CompileOptionsInput } from './options.js';
import { compileOwnNodeRows } from '../ownNode/compile.js';
import type { CompileResult } from './result.js';

export type { CompileResult } from './result.js';

/**
 * model → rows: pure, deterministic (same model and options, byte-identical rows). `owner` and
 * `capabilities` are required; the other options default as `withCompileDefaults` says.
 *
 * Example: compile(model, { owner: 'nbgen', capabilities: capabilitiesForOvnVersion('24.03') }).rows
 */
export function compile(model: Model, input: CompileOptionsInput): CompileResult {
  const options = withCompileDefaults(input);
  // One index of the pods for both policy compilers (a CompileSession shares its own the same way).
  const selection = new SelectionIndex(model);
  const parts = [compileNetworkPolicies(model, options, selection), compileClusterPolicies(model, options, selection), compileNat(model, options)];
  return {
    rows: mergeNbRows(...parts.map((p) => p.rows), compileOwnNodeRows(model, options).rows),
    warnings: parts.flatMap((p) => p.warnings),
  };
}
