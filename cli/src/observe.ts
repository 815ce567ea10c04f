/** Runs every query of queries.ts and the cache sample, all in parallel: the I/O half of the investigation. */
import { cacheFromMetrics, sampleCache } from './cache-sample.ts';
import type { Observations } from './observations.ts';
import { instant, range, type Sample, type Series } from './prometheus.ts';
import { INSTANT_NAMES, instantQueries, RANGE_NAMES, rangeQueries, type InstantName, type RangeName } from './queries.ts';
import { baselineStart, stepSeconds, type Window } from './window.ts';

/**
 * Reads what the ranking needs for window `w`.
 * @throws SourceError when Prometheus (or Jaeger, for the cache sample) cannot be reached.
 */
export async function observe(prometheus: string, jaeger: string, w: Window, edge: string): Promise<Observations> {
  const step = stepSeconds(w);
  const iq = instantQueries(w, edge);
  const rq = rangeQueries(w, edge);
  // Cache reads from span metrics when the Collector has the `cache.hit` dimension, else sampled
  // from Jaeger; asked first (one small query) so Jaeger is searched only when needed.
  const cacheReads = await instant(prometheus, iq.cacheReads, w.end);
  const [inst, rng, cache] = await Promise.all([
    Promise.all(INSTANT_NAMES.map((n) => (n === 'cacheReads' ? cacheReads : instant(prometheus, iq[n], w.end)))),
    Promise.all(RANGE_NAMES.map((n) => range(prometheus, rq[n], baselineStart(w), w.end, step))),
    cacheReads.length > 0 ? undefined : sampleCache(jaeger, w),
  ]);
  const instantBy = Object.fromEntries(INSTANT_NAMES.map((n, i) => [n, inst[i]!])) as Record<InstantName, Sample[]>;
  const rangeBy = Object.fromEntries(RANGE_NAMES.map((n, i) => [n, rng[i]!])) as Record<RangeName, Series[]>;
  return { window: w, edge, step, instant: instantBy, range: rangeBy, cache: cache ?? cacheFromMetrics(instantBy.cacheReads, instantBy.cacheReadsBase) };
}
