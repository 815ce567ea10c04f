/** Failed health checks per service instance (pure): what makes a load balancer eject a replica. */
import { eq, FAILED, HEALTH_ROUTES, L, re, SERVER, selector } from '@faultline/signals';
import { clock, formatDuration, rateSeconds, windowStart } from '../window.ts';
import { defineCheck, type CheckData, type QueryContext } from './check.ts';
import { score, type Draft } from './draft.ts';
import { CALLS, DURATION, windowRange } from './promql.ts';
import { byKey, count, runs } from './stats.ts';

const KINDS = { health: 'health checks failed' } as const;
/** Matchers of health-check requests (server spans on a health route). */
export const HEALTH_CHECKS = [SERVER, re(L.httpRoute, HEALTH_ROUTES)] as const;
const perInstance = (matchers: readonly string[], range: string) =>
  `sum by (${L.service}, ${L.instance}) (increase(${selector(CALLS, ...matchers)}[${range}]))`;

/** Failed health checks per service instance in the window (shared with the ejections check). */
export const HEALTH_FAILED = (c: QueryContext) => perInstance([...HEALTH_CHECKS, FAILED], windowRange(c.window));
const INSTANT = {
  healthChecks: (c: QueryContext) => perInstance(HEALTH_CHECKS, windowRange(c.window)),
  healthFailed: HEALTH_FAILED,
};
const RANGE = { healthFailed: (c: QueryContext) => perInstance([...HEALTH_CHECKS, FAILED], `${rateSeconds(c.window)}s`) };

/** What the health check reads. */
export type HealthData = CheckData<keyof typeof INSTANT, keyof typeof RANGE>;

/** Health-check findings, unranked. */
export function healthFindings(o: HealthData): Draft<'health'>[] {
  const total = byKey(o.instant.healthChecks, [L.service, L.instance]);
  const out: Draft<'health'>[] = [];
  for (const s of o.instant.healthFailed) {
    const n = Math.round(s.value);
    if (n < 1) continue;
    const service = s.labels[L.service] ?? '?';
    const instance = s.labels[L.instance] ?? '?';
    const of = total.get(`${service}/${instance}`)?.value;
    const series = o.range.healthFailed.find((x) => x.labels[L.service] === service && x.labels[L.instance] === instance);
    const r = series ? runs(series, windowStart(o.window), o.step, (v) => v > 0) : [];
    const since = r[0]?.start;
    const until = r.at(-1)?.end;
    const failing = [...HEALTH_CHECKS, FAILED];
    out.push({
      kind: 'health',
      subject: `${service}/${instance}`,
      title: `${service}/${instance}: ${count(n)}${of ? ` of ${count(of)}` : ''} health checks failed in ${formatDuration(o.window.seconds)} (load balancers eject on these)`,
      details: since !== undefined ? [`failing ${clock(since)}–${clock(until!)}`] : [],
      score: score(40 + 5 * Math.log2(1 + n)),
      since,
      until,
      evidence: { service, instance, failed: n, checks: of !== undefined ? Math.round(of) : null },
      related: [],
      query: `sum by (${L.instance}) (increase(${selector(CALLS, eq(L.service, service), ...failing)}[1m]))`,
      examples: {
        exemplars: selector(DURATION, eq(L.service, service), eq(L.instance, instance), ...failing),
        prefer: 'newest',
        jaeger: { service, tags: { 'http.route': '/healthz', error: 'true' } },
      },
    });
  }
  return out;
}

/** The health check: failed health checks per service instance. */
export const health = defineCheck({
  name: 'health',
  kinds: KINDS,
  instant: INSTANT,
  range: RANGE,
  describe: () => 'failed health checks (/healthz, /ready, …) per instance',
  hasData: (o) => o.instant.healthChecks.length > 0,
  rank: healthFindings,
});
