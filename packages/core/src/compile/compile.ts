import type { CompileWarning } from '../errors';
import type { Model } from '../model/model';
import { compileNat } from '../nat/compile';
import { compileNetworkPolicies } from '../netpol/compile';
import { compileOwnNodeRows } from '../ownNode/compile.js';
import { mergeNbRows, type NbRows } from '../rows';
import { compileClusterPolicies } from '../tiers/compile';
import type { CompileOptions } from './options';

export interface CompileResult {
  readonly rows: NbRows;
  readonly warnings: readonly CompileWarning[];
}

/** model → rows: pure, deterministic (same model and options, byte-identical rows). */
export function compile(model: Model, options: CompileOptions): CompileResult {
  const parts = [compileNetworkPolicies(model, options), compileClusterPolicies(model, options), compileNat(model, options)];
  return {
    rows: mergeNbRows(...parts.map((p) => p.rows), compileOwnNodeRows(model, options).rows),
    warnings: parts.flatMap((p) => p.warnings),
  };
}
