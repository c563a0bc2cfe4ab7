// Memory measurement for benchmarks that compare peak heap rather than speed.
// Call `gc()` first where the process runs with --expose-gc.

/**
 * Samples `process.memoryUsage()` on a short timer and on demand, keeping the
 * peak growth over the figures at `start()`.
 */
export function startMemorySampler({ intervalMs = 5 } = {}) {
  globalThis.gc?.();
  globalThis.gc?.();
  const base = process.memoryUsage();
  const peak = { heapUsed: 0, rss: 0, external: 0 };
  const sample = () => {
    const now = process.memoryUsage();
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed - base.heapUsed);
    peak.rss = Math.max(peak.rss, now.rss - base.rss);
    peak.external = Math.max(peak.external, now.external - base.external);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    sample,
    stop() {
      sample();
      clearInterval(timer);
      return {
        peakHeapGrowthMB: megabytes(peak.heapUsed),
        peakRssGrowthMB: megabytes(peak.rss),
        peakExternalGrowthMB: megabytes(peak.external),
      };
    },
  };
}

export const megabytes = (bytes) => Math.round((bytes / (1024 * 1024)) * 10) / 10;
