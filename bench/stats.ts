// The statistics every bench reports: medians (and a 95th percentile) of repeated timings.

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

/** The median (the upper one of an even count); NaN for no samples. */
export const median = (xs: readonly number[]): number => sorted(xs)[Math.floor(xs.length / 2)] ?? NaN;

/** The 95th percentile (nearest rank); NaN for no samples. */
export const p95 = (xs: readonly number[]): number => sorted(xs)[Math.floor(xs.length * 0.95)] ?? NaN;
