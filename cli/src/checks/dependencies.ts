/**
 * Calls to a dependency that started failing (pure): a service's client spans (database, cache, HTTP
 * calls out) by span name, failed in the window against the baseline's rate, with the instances they
 * failed on. Names the broken link even when the service hides it from its callers (a cache it goes
 * without, retries that succeed later): a failing Redis behind a fallback, one instance cut off from
 * its database.
 */
import { CLIENT, eq, FAILED, L, selector } from '@faultline/signals';
import { defineCheck, NO_QUERIES, type CheckData, type QueryContext } from './check.ts';
import { score, type Draft } from './draft.ts';
import { baselineRange, by, CALLS, windowRange } from './promql.ts';
import { count, key, pct, poissonZ } from './stats.ts';

/** A failing dependency needs this many failed calls in the window, this share of its calls, this rise over the baseline's rate, and significance. */
export const DEPENDENCY_RULES = { minErrors: 20, minShare: 0.05, minFactor: 5, minZ: 4 } as const;

/** Labels that name one dependency call, and the instance it failed on. */
const KEY = [L.service, L.spanName];
const PER_INSTANCE = [...KEY, L.instance];

const KINDS = { 'dependency-errors': "a service's calls to a dependency started failing" } as const;
const failed = (range: string) => `sum by (${by(...PER_INSTANCE)}) (increase(${selector(CALLS, CLIENT, FAILED)}[${range}))`;
const INSTANT = {
  dependencyErrors: (c: QueryContext) => failed(`${windowRange(c.window)}]`),
  dependencyErrorsBase: (c: QueryContext) => failed(baselineRange(c.window)),
  dependencyCalls: (c: QueryContext) => `sum by (${by(...KEY)}) (increase(${selector(CALLS, CLIENT)}[${windowRange(c.window)}]))`,
};

/** What the dependency check reads. */
export type DependencyData = CheckData<keyof typeof INSTANT>;

/** Dependency findings, unranked: one per service and span name whose failures rose. */
export function dependencyFindings(o: DependencyData): Draft<'dependency-errors'>[] {
  const errors = new Map<string, { labels: Record<string, string>; n: number; instances: Map<string, number> }>();
  for (const s of o.instant.dependencyErrors ?? []) {
    const k = key(s.labels, KEY);
    const e = errors.get(k) ?? { labels: s.labels, n: 0, instances: new Map<string, number>() };
    e.n += s.value;
    const instance = s.labels[L.instance] ?? '?';
    e.instances.set(instance, (e.instances.get(instance) ?? 0) + s.value);
    errors.set(k, e);
  }
  const base = new Map<string, number>();
  for (const s of o.instant.dependencyErrorsBase ?? []) base.set(key(s.labels, KEY), (base.get(key(s.labels, KEY)) ?? 0) + s.value);
  const calls = new Map((o.instant.dependencyCalls ?? []).map((s) => [key(s.labels, KEY), s.value]));
  const ratio = o.window.seconds / o.window.baselineSeconds;
  const out: Draft<'dependency-errors'>[] = [];
  for (const [k, e] of errors) {
    const baseline = base.get(k) ?? 0;
    const before = baseline * ratio;
    const total = Math.max(e.n, calls.get(k) ?? 0);
    const share = e.n / Math.max(1, total);
    if (e.n < DEPENDENCY_RULES.minErrors || share < DEPENDENCY_RULES.minShare) continue;
    if (e.n < DEPENDENCY_RULES.minFactor * Math.max(1, before) || poissonZ(e.n, baseline, ratio) < DEPENDENCY_RULES.minZ) continue;
    const service = e.labels[L.service] ?? '?';
    const operation = e.labels[L.spanName] ?? '?';
    const on = [...e.instances].filter(([, n]) => n >= 0.1 * e.n).sort((a, b) => b[1] - a[1]);
    const where = on.map(([i]) => i).join(', ');
    out.push({
      kind: 'dependency-errors',
      subject: `${service} ${operation}`,
      title: `${service} → ${operation}: ${count(e.n)} failed calls (${pct(share)} of them; ${count(before)} before) on ${where}`,
      details: [`the link from ${where} to what "${operation}" calls is failing: its spans carry error.type`],
      // The share failing first, then whether one instance alone is cut off, then how many calls failed.
      score: score(40 + 30 * share + (on.length === 1 ? 5 : 0) + Math.min(8, 2 * Math.log10(e.n))),
      evidence: {
        service,
        operation,
        errors: Math.round(e.n),
        baselineErrors: Math.round(before),
        share: +share.toFixed(3),
        instances: where,
      },
      related: on.map(([i]) => i),
      query: `sum by (${L.instance}) (rate(${selector(CALLS, CLIENT, FAILED, eq(L.service, service), eq(L.spanName, operation))}[1m]))`,
      examples: { prefer: 'newest', jaeger: { service, operation, tags: { error: 'true' } } },
    });
  }
  return out;
}

/** The dependencies check: client calls (database, cache, HTTP) that started failing. */
export const dependencies = defineCheck({
  name: 'dependencies',
  kinds: KINDS,
  instant: INSTANT,
  range: NO_QUERIES,
  describe: () => 'failed calls to dependencies (client spans) by service and operation',
  hasData: (o) => (o.instant.dependencyCalls ?? []).length > 0,
  rank: dependencyFindings,
});
