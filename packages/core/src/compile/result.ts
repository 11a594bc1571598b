import type { CompileWarning } from '../errors.js';
import type { NbRows } from '../rows/index.js';

/** What a compile (whole, or one part: NetworkPolicy, tiers, NAT) returns. */
export interface CompileResult {
  readonly rows: NbRows;
  readonly warnings: readonly CompileWarning[];
}
