/**
 * Cache hit-ratio drops (pure), overall and per client, from the cache read spans' `cache.hit`
 * (span metrics if the Collector has that dimension, else a Jaeger sample; cache-sample.ts). The
 * services that read the cache are found in the data.
 */
import { eq, L, ne, re, selector } from '@faultline/signals';
import { CACHE_READS } from '../cache-sample.ts';
import type { CacheTally } from '../observations.ts';
import { defineCheck, NO_QUERIES, type CheckData } from './check.ts';
import { score, type Draft } from './draft.ts';
import { CALLS } from './promql.ts';
import { count, pct, proportionZ } from './stats.ts';

const KINDS = { cache: 'the cache hit ratio dropped' } as const;

/** What the cache check reads: the cache reads (observe.ts counts them from its queries or from Jaeger). */
export type CacheData = CheckData<keyof typeof CACHE_READS>;

/** The service and span name of the reads of `operation` (any read when not given), if known. */
function readOf(o: CacheData, operation?: string) {
  return o.cache.reads?.find((r) => operation === undefined || r.operation === operation);
}

/** The PromQL of a cache finding. */
function cacheQuery(o: CacheData, client: string | undefined, operation: string | undefined): string {
  const who = [client ? eq(L.clientId, client) : undefined, operation ? eq(L.spanName, operation) : undefined];
  if (o.cache.source === 'prometheus') {
    return `sum(rate(${selector(CALLS, eq(L.cacheHit, String(true)), ...who)}[1m])) / sum(rate(${selector(CALLS, ne(L.cacheHit, ''), ...who)}[1m]))`;
  }
  const ops = [...new Set((o.cache.reads ?? []).map((r) => r.operation))];
  return `sum by (${L.clientId}) (rate(${selector(CALLS, ops.length ? re(L.spanName, ops.join('|')) : undefined, ...who)}[1m]))`;
}

/** A drop must be this large (absolute) over this many reads in each window, and significant. */
export const CACHE_RULES = { minDrop: 0.15, minClientDrop: 0.25, minReads: 50, minClientReads: 20, minZ: 3 } as const;

function sum(t: Record<string, CacheTally>): CacheTally {
  return Object.values(t).reduce((a, x) => ({ hits: a.hits + x.hits, misses: a.misses + x.misses }), { hits: 0, misses: 0 });
}

function ratio(t: CacheTally): number {
  return t.hits / Math.max(1, t.hits + t.misses);
}

function draft(
  o: CacheData,
  subject: string,
  client: string | undefined,
  now: CacheTally,
  before: CacheTally,
  operation?: string,
): Draft<'cache'> {
  const drop = ratio(before) - ratio(now);
  const reads = now.hits + now.misses;
  const sampled = o.cache.source === 'jaeger' ? `; sample of ${count(reads)} reads in Jaeger` : '';
  const read = readOf(o, operation);
  const what = operation ? `${operation} hit ratio` : 'hit ratio';
  return {
    kind: 'cache',
    subject,
    title: `${client ?? 'cache'}: ${what} fell to ${pct(ratio(now))} (was ${pct(ratio(before))}${sampled})`,
    details: [],
    score: score(35 + 40 * drop + (client ? 5 : 0)),
    evidence: {
      client: client ?? null,
      operation: operation ?? null,
      hitRatio: +ratio(now).toFixed(3),
      baselineHitRatio: +ratio(before).toFixed(3),
      reads,
      source: o.cache.source,
    },
    related: [],
    query: cacheQuery(o, client, operation),
    examples: {
      prefer: 'newest',
      traceIds: client ? o.cache.missTraces[client] : Object.values(o.cache.missTraces).flat().slice(0, 3),
      jaeger: {
        service: read?.service ?? o.edge,
        ...((operation ?? read?.operation) ? { operation: operation ?? read!.operation } : {}),
        tags: { 'cache.hit': 'false', ...(client ? { 'client.id': client } : {}) },
      },
    },
  };
}

function significant(now: CacheTally, before: CacheTally, minReads: number, minDrop: number): boolean {
  const n1 = now.hits + now.misses;
  const n0 = before.hits + before.misses;
  return (
    n1 >= minReads &&
    n0 >= minReads &&
    ratio(before) - ratio(now) >= minDrop &&
    proportionZ(now.misses, n1, before.misses, n0) >= CACHE_RULES.minZ
  );
}

/** Findings of one cache (one read operation, or all reads together): overall, and clients whose own ratio fell well below everyone's drop. */
function findings(
  o: CacheData,
  current: Record<string, CacheTally>,
  baseline: Record<string, CacheTally>,
  operation?: string,
): Draft<'cache'>[] {
  const now = sum(current);
  const before = sum(baseline);
  const out: Draft<'cache'>[] = [];
  const overallDrop = ratio(before) - ratio(now);
  if (significant(now, before, CACHE_RULES.minReads, CACHE_RULES.minDrop))
    out.push(draft(o, operation ? `cache ${operation}` : 'cache', undefined, now, before, operation));
  for (const [client, t] of Object.entries(current)) {
    const b = baseline[client];
    if (!b || !significant(t, b, CACHE_RULES.minClientReads, CACHE_RULES.minClientDrop)) continue;
    if (ratio(b) - ratio(t) < Math.max(0, overallDrop) + CACHE_RULES.minDrop) continue;
    out.push(draft(o, client, client, t, b, operation));
  }
  return out;
}

/**
 * Cache findings, unranked. Per read operation when span metrics tell them apart (each usually its own
 * cache), else over all reads; one finding per subject, the largest.
 */
export function cacheFindings(o: CacheData): Draft<'cache'>[] {
  if (o.cache.source === 'none') return [];
  const ops = Object.entries(o.cache.byOperation ?? {});
  const all =
    ops.length > 0 ? ops.flatMap(([op, c]) => findings(o, c.current, c.baseline, op)) : findings(o, o.cache.current, o.cache.baseline);
  const best = new Map<string, Draft<'cache'>>();
  for (const d of all) if ((best.get(d.subject)?.score ?? -1) < d.score) best.set(d.subject, d);
  return [...best.values()];
}

/** The cache check: hit ratios per read operation and client. */
export const cache = defineCheck({
  name: 'cache',
  kinds: KINDS,
  instant: CACHE_READS,
  range: NO_QUERIES,
  describe: (o) =>
    o.cache.source === 'jaeger'
      ? 'cache hit ratio, overall and per client (sampled from Jaeger)'
      : 'cache hit ratio, overall and per client',
  hasData: (o) => o.cache.source !== 'none',
  rank: cacheFindings,
});
