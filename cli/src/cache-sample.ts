/**
 * Cache reads per client. From span metrics when the Collector has `cache.hit` as a span-metrics
 * dimension; otherwise from a sample of Jaeger traces with cache read spans (the preload marks them
 * `cache.hit`): which services and span names read the cache is found first (a few traces of each
 * service Jaeger knows, at most {@link CACHE_SAMPLE}.services of them), then up to 4 × 75 traces of
 * each read (at most {@link CACHE_SAMPLE}.reads) spread over each window.
 */
import { CLIENT_UNKNOWN, jaeger, L, ne, selector, type Sample } from '@faultline/signals';
import type { QueryContext } from './checks/check.ts';
import { CALLS, windowAndBaseline } from './checks/promql.ts';
import type { CacheCounts, CacheRead, CacheTally } from './observations.ts';
import { baselineStart, windowStart, type Window } from './window.ts';

/** Span attributes the preload sets on cache reads and every span (instrumentation/README.md). */
const TAG = { cacheHit: 'cache.hit', clientId: 'client.id' } as const;

/** Bounds of the Jaeger sample. */
export const CACHE_SAMPLE = {
  /** Services searched for cache reads (in the order Jaeger lists them). */
  services: 20,
  /** Traces per service and hit value when looking for cache reads. */
  probeTraces: 5,
  /** Cache reads (service, span name) sampled. */
  reads: 4,
  /** Slices of each window, and traces per slice. */
  slices: 4,
  perSlice: 75,
} as const;

const reads = (r: string) =>
  `sum by (${L.service}, ${L.clientId}, ${L.cacheHit}, ${L.spanName}) (increase(${selector(CALLS, ne(L.cacheHit, ''))}[${r}))`;

/**
 * Cache reads per service, client, hit and span name in the window and the baseline. Only answers once
 * the Collector's span metrics carry `cache.hit` as a dimension (see cli/README.md).
 */
export const CACHE_READS = {
  cacheReads: (c: QueryContext) => windowAndBaseline(c.window, reads)[0],
  cacheReadsBase: (c: QueryContext) => windowAndBaseline(c.window, reads)[1],
};

/** `true`/`false` as the span metrics' hit label spells it. */
const HIT = String(true);
const MISS = String(false);

function fromMetrics(samples: Sample[], operation?: string): Record<string, CacheTally> {
  const out: Record<string, CacheTally> = {};
  for (const s of samples) {
    if (operation !== undefined && s.labels[L.spanName] !== operation) continue;
    const t = (out[s.labels[L.clientId] ?? CLIENT_UNKNOWN] ??= { hits: 0, misses: 0 });
    if (s.labels[L.cacheHit] === HIT) t.hits += s.value;
    else if (s.labels[L.cacheHit] === MISS) t.misses += s.value;
  }
  return out;
}

/** The distinct (service, span name) pairs of `list`, first `max`. */
function distinct(list: CacheRead[], max = Infinity): CacheRead[] {
  const seen = new Map(list.map((r) => [`${r.service}\n${r.operation}`, r]));
  return [...seen.values()].slice(0, max);
}

async function fromTraces(
  base: string,
  found: CacheRead[],
  start: number,
  end: number,
  missTraces?: Record<string, string[]>,
): Promise<Record<string, CacheTally>> {
  const out: Record<string, CacheTally> = {};
  const len = (end - start) / CACHE_SAMPLE.slices;
  const slices = Array.from({ length: CACHE_SAMPLE.slices }, (_, i) => [start + i * len, start + (i + 1) * len] as const);
  const spans = (
    await Promise.all(found.flatMap((r) => slices.map(([a, b]) => jaeger.searchSpans(base, r, a, b, CACHE_SAMPLE.perSlice))))
  ).flat();
  const seen = new Set<string>();
  for (const s of spans) {
    const hit = s.tags[TAG.cacheHit];
    if (hit === undefined) continue;
    const key = `${s.traceId}/${s.start}/${s.operation}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const client = String(s.tags[TAG.clientId] ?? CLIENT_UNKNOWN);
    const t = (out[client] ??= { hits: 0, misses: 0 });
    if (hit === true || hit === HIT) t.hits++;
    else {
      t.misses++;
      if (missTraces) {
        const ids = (missTraces[client] ??= []);
        if (ids.length < 3 && !ids.includes(s.traceId)) ids.push(s.traceId);
      }
    }
  }
  return out;
}

/**
 * Which services and span names read the cache, from a few traces of each service Jaeger knows whose
 * spans carry `cache.hit` (either value) between `start` and `end` (unix seconds).
 * @throws SourceError when Jaeger cannot be reached.
 */
export async function findCacheReads(base: string, start: number, end: number): Promise<CacheRead[]> {
  const services = (await jaeger.services(base)).slice(0, CACHE_SAMPLE.services);
  const probes = services.flatMap((service) =>
    [HIT, MISS].map((hit) => jaeger.searchSpans(base, { service, tags: { [TAG.cacheHit]: hit } }, start, end, CACHE_SAMPLE.probeTraces)),
  );
  const spans = (await Promise.all(probes)).flat();
  return distinct(
    spans.filter((s) => s.tags[TAG.cacheHit] !== undefined).map((s) => ({ service: s.service, operation: s.operation })),
    CACHE_SAMPLE.reads,
  );
}

/** Cache reads from span metrics by client and hit (window and baseline), per span name too. */
export function cacheFromMetrics(cacheReads: Sample[], cacheReadsBase: Sample[]): CacheCounts {
  const all = [...cacheReads, ...cacheReadsBase];
  const operations = new Set(all.map((s) => s.labels[L.spanName]).filter((x): x is string => x !== undefined));
  const byOperation = Object.fromEntries(
    [...operations].map((op) => [op, { current: fromMetrics(cacheReads, op), baseline: fromMetrics(cacheReadsBase, op) }]),
  );
  const found = distinct(
    all
      .filter((s) => s.labels[L.service] && s.labels[L.spanName])
      .map((s) => ({ service: s.labels[L.service]!, operation: s.labels[L.spanName]! })),
  );
  return {
    source: 'prometheus',
    current: fromMetrics(cacheReads),
    baseline: fromMetrics(cacheReadsBase),
    missTraces: {},
    byOperation,
    reads: found,
  };
}

/**
 * Cache reads sampled from Jaeger traces in the window and the baseline.
 * @throws SourceError when Jaeger cannot be reached.
 */
export async function sampleCache(base: string, w: Window): Promise<CacheCounts> {
  const found = await findCacheReads(base, baselineStart(w), w.end);
  const missTraces: Record<string, string[]> = {};
  const [current, baseline] = await Promise.all([
    fromTraces(base, found, windowStart(w), w.end, missTraces),
    fromTraces(base, found, baselineStart(w), windowStart(w)),
  ]);
  const any = Object.keys(current).length + Object.keys(baseline).length > 0;
  return { source: any ? 'jaeger' : 'none', current, baseline, missTraces, reads: found };
}
