import type { CompileWarning } from '../errors.js';
import type { Model } from '../model/model.js';
import { compileNat } from '../nat/compile.js';
import { compileNetworkPolicies } from '../netpol/compile.js';
import { mergeNbRows, type NbRows } from '../rows/index.js';
import { compileClusterPolicies } from '../tiers/compile.js';
import type { CompileOptions } from './options.js';

export interface CompileResult {
  readonly rows: NbRows;
  readonly warnings: readonly CompileWarning[];
}

/** model → rows: pure, deterministic (same model and options, byte-identical rows). */
export function compile(model: Model, options: CompileOptions): CompileResult {
  const parts = [compileNetworkPolicies(model, options), compileClusterPolicies(model, options), compileNat(model, options)];
  return {
    rows: mergeNbRows(...parts.map((p) => p.rows)),
    warnings: parts.flatMap((p) => p.warnings),
  };
}
