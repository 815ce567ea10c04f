/**
 * Runs every query the checks declare (checks/index.ts) and reads the cache reads, all in parallel:
 * the I/O half of the investigation.
 */
import { prometheus, type Sample, type Series } from '@faultline/signals';
import { cacheFromMetrics, sampleCache } from './cache-sample.ts';
import { INSTANT_NAMES, instantQueries, RANGE_NAMES, rangeQueries, type InstantName, type RangeName } from './checks/index.ts';
import type { Observations } from './observations.ts';
import { baselineStart, stepSeconds, type Window } from './window.ts';

/**
 * Reads what the ranking needs for window `w` with `edge` as the edge service.
 * @throws SourceError when Prometheus (or Jaeger, for the cache sample) cannot be reached.
 */
export async function observe(prometheusUrl: string, jaegerUrl: string, w: Window, edge: string): Promise<Observations> {
  const step = stepSeconds(w);
  const iq = instantQueries({ window: w, edge });
  const rq = rangeQueries({ window: w, edge });
  // Cache reads from span metrics when the Collector has the `cache.hit` dimension, else sampled
  // from Jaeger; asked first (one small query) so Jaeger is searched only when needed.
  const cacheReads = await prometheus.instant(prometheusUrl, iq.cacheReads, w.end);
  const [inst, rng, cache] = await Promise.all([
    Promise.all(
      INSTANT_NAMES.map((n) => (n === 'cacheReads' ? Promise.resolve(cacheReads) : prometheus.instant(prometheusUrl, iq[n], w.end))),
    ),
    Promise.all(RANGE_NAMES.map((n) => prometheus.range(prometheusUrl, rq[n], baselineStart(w), w.end, step))),
    cacheReads.length > 0 ? Promise.resolve(undefined) : sampleCache(jaegerUrl, w),
  ]);
  const instantBy = Object.fromEntries(INSTANT_NAMES.map((n, i) => [n, inst[i]!])) as Record<InstantName, Sample[]>;
  const rangeBy = Object.fromEntries(RANGE_NAMES.map((n, i) => [n, rng[i]!])) as Record<RangeName, Series[]>;
  return {
    window: w,
    edge,
    step,
    instant: instantBy,
    range: rangeBy,
    cache: cache ?? cacheFromMetrics(instantBy.cacheReads, instantBy.cacheReadsBase),
  };
}
