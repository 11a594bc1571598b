// Preloaded into the `nbgen sync` process the pipe bench runs (node --expose-gc --import this):
// on SIGUSR2, append the heap in use after the process's last full (mark-compact) GC and the RSS
// to $NBGEN_BENCH_HEAP_FILE, one JSON line per signal. Nothing else of the process changes.
//
// The heap is read right after each full GC V8 runs on its own, not by forcing one: a forced GC
// is atomic, and at 50,000 pods (a 500 MB heap) it stopped sync for 0.3–2 s on every sample, a
// stall of the very stream whose lag the bench measures. With NBGEN_BENCH_HEAP_FORCE_GC=1 the
// probe forces one per sample as before (`heapUsed` then is right after it).
import { appendFileSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';

const file = process.env.NBGEN_BENCH_HEAP_FILE;
if (file) {
  const force = process.env.NBGEN_BENCH_HEAP_FORCE_GC === '1';
  let afterFullGc = { heapUsed: Number.NaN, fullGcs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      afterFullGc = { heapUsed: process.memoryUsage().heapUsed, fullGcs: afterFullGc.fullGcs + 1 };
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', () => {
    if (force) globalThis.gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ heapUsed: force ? heapUsed : afterFullGc.heapUsed, fullGcs: afterFullGc.fullGcs, rss })}\n`);
  });
}
