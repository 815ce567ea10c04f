/**
 * Cache reads per client. From span metrics when the Collector has `cache.hit` as a span-metrics
 * dimension; otherwise from a sample of Jaeger traces with Redis read spans (the preload marks them
 * `cache.hit`): up to 4 × 75 traces spread over each window.
 */
import { searchSpans } from './jaeger.ts';
import type { CacheCounts, CacheTally } from './observations.ts';
import type { Sample } from './prometheus.ts';
import { baselineStart, windowStart, type Window } from './window.ts';

/** Services and span names searched for Redis reads (ioredis span names are the command). */
const READS = [{ service: 'api', operation: 'get' }];
const SLICES = 4;
const PER_SLICE = 75;

function fromMetrics(samples: Sample[], operation?: string): Record<string, CacheTally> {
  const out: Record<string, CacheTally> = {};
  for (const s of samples) {
    if (operation !== undefined && s.labels['span_name'] !== operation) continue;
    const t = (out[s.labels['client_id'] ?? 'unknown'] ??= { hits: 0, misses: 0 });
    if (s.labels['cache_hit'] === 'true') t.hits += s.value;
    else if (s.labels['cache_hit'] === 'false') t.misses += s.value;
  }
  return out;
}

async function fromTraces(jaeger: string, start: number, end: number, missTraces?: Record<string, string[]>): Promise<Record<string, CacheTally>> {
  const out: Record<string, CacheTally> = {};
  const len = (end - start) / SLICES;
  const slices = Array.from({ length: SLICES }, (_, i) => [start + i * len, start + (i + 1) * len] as const);
  const spans = (await Promise.all(READS.flatMap((r) => slices.map(([a, b]) => searchSpans(jaeger, r, a, b, PER_SLICE))))).flat();
  const seen = new Set<string>();
  for (const s of spans) {
    const hit = s.tags['cache.hit'];
    if (hit === undefined) continue;
    const key = `${s.traceId}/${s.start}/${s.operation}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const client = String(s.tags['client.id'] ?? 'unknown');
    const t = (out[client] ??= { hits: 0, misses: 0 });
    if (hit === true || hit === 'true') t.hits++;
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

/** Cache reads from span metrics by `client_id`/`cache_hit` (window and baseline). */
export function cacheFromMetrics(cacheReads: Sample[], cacheReadsBase: Sample[]): CacheCounts {
  const operations = new Set([...cacheReads, ...cacheReadsBase].map((s) => s.labels['span_name']).filter((x): x is string => x !== undefined));
  const byOperation = Object.fromEntries([...operations].map((op) => [op, { current: fromMetrics(cacheReads, op), baseline: fromMetrics(cacheReadsBase, op) }]));
  return { source: 'prometheus', current: fromMetrics(cacheReads), baseline: fromMetrics(cacheReadsBase), missTraces: {}, byOperation };
}

/**
 * Cache reads sampled from Jaeger traces in the window and the baseline.
 * @throws SourceError when Jaeger cannot be reached.
 */
export async function sampleCache(jaeger: string, w: Window): Promise<CacheCounts> {
  const missTraces: Record<string, string[]> = {};
  const [current, baseline] = await Promise.all([
    fromTraces(jaeger, windowStart(w), w.end, missTraces),
    fromTraces(jaeger, baselineStart(w), windowStart(w)),
  ]);
  const any = Object.keys(current).length + Object.keys(baseline).length > 0;
  return { source: any ? 'jaeger' : 'none', current, baseline, missTraces };
}
