// Preloaded into the `nbgen sync` process the pipe bench runs (node --expose-gc --import this):
// on SIGUSR2, collect garbage and append the heap in use and the RSS to $NBGEN_BENCH_HEAP_FILE,
// one JSON line per signal. Nothing else of the process changes.
import { appendFileSync } from 'node:fs';

const file = process.env.NBGEN_BENCH_HEAP_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    globalThis.gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ heapUsed, rss })}\n`);
  });
}
