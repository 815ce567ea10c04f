/**
 * Example traces for a finding: trace IDs already known, else Prometheus exemplars on the finding's
 * span-metric series (slowest or newest first) that Jaeger kept, else (or to fill up) a Jaeger search
 * with the finding's tags. Span metrics count every span before the Collector's tail sampling, so an
 * exemplar may name a trace that was not stored: every exemplar link is checked against Jaeger first.
 */
import { jaeger, prometheus } from '@faultline/signals';
import type { ExampleSpec } from './checks/draft.ts';
import type { FindingTraces } from './report-schema.ts';

/** How many example traces a finding gets. */
export const EXAMPLES = 3;
/** How many exemplar candidates are looked up in Jaeger, in order of preference, to find {@link EXAMPLES} kept ones. */
export const EXEMPLAR_CANDIDATES = 12;

/** Distinct trace IDs of exemplars, slowest or newest first. */
export function pickExemplars(
  list: { traceId: string; value: number; time: number }[],
  prefer: 'slowest' | 'newest',
  n = EXAMPLES,
): string[] {
  const sorted = [...list].sort((a, b) => (prefer === 'slowest' ? b.value - a.value : b.time - a.time));
  return [...new Set(sorted.map((e) => e.traceId))].slice(0, n);
}

/**
 * Example traces of one finding between `start` and `end` (unix seconds; the search looks a little
 * past `end`, spans arrive a few seconds late).
 * @throws SourceError when Prometheus or Jaeger cannot be reached.
 */
export async function exampleTraces(
  prometheusUrl: string,
  jaegerUrl: string,
  spec: ExampleSpec,
  start: number,
  end: number,
): Promise<FindingTraces> {
  const search = jaeger.searchUrl(jaegerUrl, spec.jaeger, start, end);
  const done = (source: FindingTraces['source'], ids: string[]): FindingTraces => ({
    source,
    ids,
    urls: ids.map((id) => jaeger.traceUrl(jaegerUrl, id)),
    search,
  });
  if (spec.traceIds?.length) return done('jaeger', spec.traceIds.slice(0, EXAMPLES));
  let kept: string[] = [];
  if (spec.exemplars) {
    const candidates = pickExemplars(
      await prometheus.exemplars(prometheusUrl, spec.exemplars, start, end),
      spec.prefer,
      EXEMPLAR_CANDIDATES,
    );
    const found = await Promise.all(candidates.map((id) => jaeger.getTrace(jaegerUrl, id)));
    kept = candidates.filter((_, i) => found[i] !== undefined).slice(0, EXAMPLES);
    if (kept.length === EXAMPLES) return done('exemplars', kept);
  }
  // Jaeger's search returns only stored traces: it fills up what the exemplars did not give.
  const searched = await jaeger.searchTraceIds(jaegerUrl, spec.jaeger, start, end + 15, EXAMPLES);
  const ids = [...new Set([...kept, ...searched])].slice(0, EXAMPLES);
  return done(kept.length ? 'exemplars' : ids.length ? 'jaeger' : 'none', ids);
}
