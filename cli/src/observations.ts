/** What `faultline incident` read from Prometheus (and Jaeger, for the cache): the ranking's only input. */
import type { InstantName, RangeName } from './queries.ts';
import type { Sample, Series } from './prometheus.ts';
import type { Window } from './window.ts';

/** Cache reads of one client: how many found a value. */
export interface CacheTally {
  hits: number;
  misses: number;
}

/** Cache reads per client in the window and the baseline, and example traces of misses. */
export interface CacheCounts {
  /** `prometheus`: span metrics with a `cache_hit` label; `jaeger`: a sample of traces; `none`: no data. */
  source: 'prometheus' | 'jaeger' | 'none';
  current: Record<string, CacheTally>;
  baseline: Record<string, CacheTally>;
  /** Trace IDs of misses in the window, per client (only from the Jaeger sample). */
  missTraces: Record<string, string[]>;
  /**
   * The same per cache read operation (span name: `get`, `hgetall`, …), from span metrics only: each
   * operation usually reads its own cache (key space), and one client's evicted cache must not be
   * averaged away by another cache's reads. Absent in older recordings.
   */
  byOperation?: Record<string, { current: Record<string, CacheTally>; baseline: Record<string, CacheTally> }>;
}

/** Everything the ranking looks at. Recorded as JSON, it is a test fixture. */
export interface Observations {
  window: Window;
  /** Service whose server spans count client requests. */
  edge: string;
  /** Step of the range series, s. */
  step: number;
  instant: Record<InstantName, Sample[]>;
  range: Record<RangeName, Series[]>;
  cache: CacheCounts;
}
