/**
 * Cache hit-ratio drops (pure), overall and per client, from the Redis read spans' `cache.hit`
 * (span metrics if the Collector has that dimension, else a Jaeger sample).
 */
import type { CacheTally, Observations } from '../observations.ts';
import { CALLS } from '../queries.ts';
import { score, type Draft } from './draft.ts';
import { count, pct, proportionZ } from './stats.ts';

/** A drop must be this large (absolute) over this many reads in each window, and significant. */
export const CACHE_RULES = { minDrop: 0.15, minClientDrop: 0.25, minReads: 50, minClientReads: 20, minZ: 3 } as const;

function sum(t: Record<string, CacheTally>): CacheTally {
  return Object.values(t).reduce((a, x) => ({ hits: a.hits + x.hits, misses: a.misses + x.misses }), { hits: 0, misses: 0 });
}

function ratio(t: CacheTally): number {
  return t.hits / Math.max(1, t.hits + t.misses);
}

function draft(o: Observations, subject: string, client: string | undefined, now: CacheTally, before: CacheTally, operation?: string): Draft {
  const drop = ratio(before) - ratio(now);
  const reads = now.hits + now.misses;
  const sampled = o.cache.source === 'jaeger' ? `; sample of ${count(reads)} reads in Jaeger` : '';
  const clientSel = `${client ? `,client_id="${client}"` : ''}${operation ? `,span_name="${operation}"` : ''}`;
  const what = operation ? `${operation} hit ratio` : 'hit ratio';
  return {
    kind: 'cache',
    subject,
    title: `${client ?? 'cache'}: ${what} fell to ${pct(ratio(now))} (was ${pct(ratio(before))}${sampled})`,
    details: [],
    score: score(35 + 40 * drop + (client ? 5 : 0)),
    evidence: { client: client ?? null, operation: operation ?? null, hitRatio: +ratio(now).toFixed(3), baselineHitRatio: +ratio(before).toFixed(3), reads, source: o.cache.source },
    related: [],
    query:
      o.cache.source === 'prometheus'
        ? `sum(rate(${CALLS}{cache_hit="true"${clientSel}}[1m])) / sum(rate(${CALLS}{cache_hit!=""${clientSel}}[1m]))`
        : `sum by (client_id) (rate(${CALLS}{span_name="get"${clientSel}}[1m]))`,
    examples: {
      prefer: 'newest',
      traceIds: client ? o.cache.missTraces[client] : Object.values(o.cache.missTraces).flat().slice(0, 3),
      jaeger: { service: 'api', operation: operation ?? 'get', tags: { 'cache.hit': 'false', ...(client ? { 'client.id': client } : {}) } },
    },
  };
}

function significant(now: CacheTally, before: CacheTally, minReads: number, minDrop: number): boolean {
  const n1 = now.hits + now.misses;
  const n0 = before.hits + before.misses;
  return n1 >= minReads && n0 >= minReads && ratio(before) - ratio(now) >= minDrop && proportionZ(now.misses, n1, before.misses, n0) >= CACHE_RULES.minZ;
}

/** Findings of one cache (one read operation, or all reads together): overall, and clients whose own ratio fell well below everyone's drop. */
function findings(o: Observations, current: Record<string, CacheTally>, baseline: Record<string, CacheTally>, operation?: string): Draft[] {
  const now = sum(current);
  const before = sum(baseline);
  const out: Draft[] = [];
  const overallDrop = ratio(before) - ratio(now);
  if (significant(now, before, CACHE_RULES.minReads, CACHE_RULES.minDrop)) out.push(draft(o, operation ? `cache ${operation}` : 'cache', undefined, now, before, operation));
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
export function cacheFindings(o: Observations): Draft[] {
  if (o.cache.source === 'none') return [];
  const ops = Object.entries(o.cache.byOperation ?? {});
  const all = ops.length > 0
    ? ops.flatMap(([op, c]) => findings(o, c.current, c.baseline, op))
    : findings(o, o.cache.current, o.cache.baseline);
  const best = new Map<string, Draft>();
  for (const d of all) if ((best.get(d.subject)?.score ?? -1) < d.score) best.set(d.subject, d);
  return [...best.values()];
}
