/** What `faultline incident` read from Prometheus (and Jaeger, for the cache): the ranking's only input. */
import type { CheckData } from './checks/check.ts';
import type { InstantName, RangeName } from './checks/index.ts';

/** Cache reads of one client: how many found a value. */
export interface CacheTally {
  hits: number;
  misses: number;
}

/** Where cache reads happen: a service and the span name of its reads (the cache command, e.g. `get`). */
export interface CacheRead {
  service: string;
  operation: string;
}

/** Cache reads per client in the window and the baseline, and example traces of misses. */
export interface CacheCounts {
  /** `prometheus`: span metrics with the `cache.hit` dimension; `jaeger`: a sample of traces; `none`: no data. */
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
  /**
   * The services and span names that read the cache, found in the data (span metrics' service and span
   * name of reads with a `cache.hit`, or Jaeger spans that carry it). Absent in older recordings.
   */
  reads?: CacheRead[];
}

/**
 * Everything the ranking looks at: the answer to every query the checks declare (checks/index.ts), by
 * name, and the cache reads. Recorded as JSON, it is a test fixture.
 */
export type Observations = CheckData<InstantName, RangeName>;
