// The command-line options both sync benches take (bench/sync/run.ts through the library,
// bench/sync/pipe.ts through `nbgen sync`), so the two measure the same stream by default.

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};

export const SEED = 20261205;
/** `--quick`: a small cluster and a short stream, for a try-out. */
export const quick = process.argv.includes('--quick');
export const size = { pods: flag('--pods', quick ? 2_000 : 10_000), policies: flag('--policies', quick ? 200 : 2_000) };
/** Events per second of the sustained stream, and for how long. */
export const RATE = flag('--rate', 1_000);
export const SECONDS = flag('--seconds', quick ? 10 : 60);
/** Events timed one at a time, each waiting for the one before. */
export const LATENCY_EVENTS = flag('--latency-events', 300);
export const NODES = flag('--nodes', 20);
/** How often the stream's progress (lag, heap) is sampled. */
export const INTERVAL_MS = 5_000;
