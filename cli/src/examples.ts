/**
 * Example traces for a finding: trace IDs already known, else Prometheus exemplars on the finding's
 * span-metric series (slowest or newest first), else a Jaeger search with the finding's tags.
 */
import { jaeger, prometheus } from '@faultline/signals';
import type { ExampleSpec } from './checks/draft.ts';
import type { FindingTraces } from './report-schema.ts';

/** How many example traces a finding gets. */
export const EXAMPLES = 3;

/** Distinct trace IDs of exemplars, slowest or newest first. */
export function pickExemplars(list: { traceId: string; value: number; time: number }[], prefer: 'slowest' | 'newest', n = EXAMPLES): string[] {
  const sorted = [...list].sort((a, b) => (prefer === 'slowest' ? b.value - a.value : b.time - a.time));
  return [...new Set(sorted.map((e) => e.traceId))].slice(0, n);
}

/**
 * Example traces of one finding between `start` and `end` (unix seconds; the search looks a little
 * past `end`, spans arrive a few seconds late).
 * @throws SourceError when Prometheus or Jaeger cannot be reached.
 */
export async function exampleTraces(prometheusUrl: string, jaegerUrl: string, spec: ExampleSpec, start: number, end: number): Promise<FindingTraces> {
  const search = jaeger.searchUrl(jaegerUrl, spec.jaeger, start, end);
  const done = (source: FindingTraces['source'], ids: string[]): FindingTraces => ({ source, ids, urls: ids.map((id) => jaeger.traceUrl(jaegerUrl, id)), search });
  if (spec.traceIds?.length) return done('jaeger', spec.traceIds.slice(0, EXAMPLES));
  if (spec.exemplars) {
    const ids = pickExemplars(await prometheus.exemplars(prometheusUrl, spec.exemplars, start, end), spec.prefer);
    if (ids.length) return done('exemplars', ids);
  }
  const ids = await jaeger.searchTraceIds(jaegerUrl, spec.jaeger, start, end + 15, EXAMPLES);
  return done(ids.length ? 'jaeger' : 'none', ids);
}
