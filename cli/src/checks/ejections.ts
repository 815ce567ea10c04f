/**
 * Load-balancer ejections (pure), seen from the traffic: an instance of a service with several
 * instances that got (almost) no requests for a while as its peers kept serving. No load balancer
 * metric is needed; failed health checks on that instance, if any, are named with it.
 */
import { eq, FAILED, HEALTH_ROUTES, L, nre, SERVER, selector, type Series } from '@faultline/signals';
import { clock, formatDuration, rateSeconds, windowStart } from '../window.ts';
import { defineCheck, type CheckData, type QueryContext } from './check.ts';
import { score, type Draft } from './draft.ts';
import { HEALTH_CHECKS, HEALTH_FAILED } from './health.ts';
import { CALLS, DURATION } from './promql.ts';
import { byKey, count, runs } from './stats.ts';

const KINDS = { ejection: 'an instance got no traffic while its peers did (the load balancer took it out)' } as const;
/** Matchers of request traffic (server spans, health checks excluded). */
const TRAFFIC = [SERVER, nre(L.httpRoute, HEALTH_ROUTES)] as const;
const INSTANT = { healthFailed: HEALTH_FAILED };
const RANGE = {
  instanceRate: (c: QueryContext) =>
    `sum by (${L.service}, ${L.instance}) (rate(${selector(CALLS, ...TRAFFIC)}[${rateSeconds(c.window)}s]))`,
};

/** What the ejection check reads. */
export type EjectionData = CheckData<keyof typeof INSTANT, keyof typeof RANGE>;

/** Services with more than one instance serving, as `svc ×n`. */
function replicated(o: EjectionData): string[] {
  const perService = new Map<string, number>();
  for (const s of o.range.instanceRate) perService.set(s.labels[L.service] ?? '?', (perService.get(s.labels[L.service] ?? '?') ?? 0) + 1);
  return [...perService].filter(([, k]) => k > 1).map(([svc, k]) => `${svc} ×${k}`);
}

/** An instance below this share of an even split, while the service serves at least `minRate` req/s. */
export const EJECTION_RULES = { maxShareOfEven: 0.1, minRate: 0.2, minPoints: 2 } as const;

/** Ejection findings, unranked. */
export function ejectionFindings(o: EjectionData): Draft<'ejection'>[] {
  const byService = new Map<string, Series[]>();
  for (const s of o.range.instanceRate) {
    const svc = s.labels[L.service];
    if (svc && s.labels[L.instance]) byService.set(svc, [...(byService.get(svc) ?? []), s]);
  }
  const failed = byKey(o.instant.healthFailed, [L.service, L.instance]);
  const from = windowStart(o.window);
  const out: Draft<'ejection'>[] = [];
  for (const [service, series] of byService) {
    if (series.length < 2) continue;
    const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
    const values = series.map((s) => new Map(s.points));
    const totals = times.map((t) => values.reduce((a, m) => a + (m.get(t) ?? 0), 0));
    series.forEach((s, idx) => {
      const instance = s.labels[L.instance]!;
      // 1 where this instance is (nearly) starved while the service has traffic, else 0.
      const starved: Series = {
        labels: s.labels,
        points: times.map((t, j) => {
          const total = totals[j]!;
          const mine = values[idx]!.get(t) ?? 0;
          return [t, total >= EJECTION_RULES.minRate && mine < (EJECTION_RULES.maxShareOfEven * total) / series.length ? 1 : 0];
        }),
      };
      for (const r of runs(starved, from, o.step, (v) => v === 1)) {
        if (r.points < EJECTION_RULES.minPoints) continue;
        const seconds = r.end - r.start + o.step;
        const peersRate = totals[times.indexOf(r.end)] ?? 0;
        const nFailed = Math.round(failed.get(`${service}/${instance}`)?.value ?? 0);
        out.push({
          kind: 'ejection',
          subject: `${service}/${instance}`,
          title: `${service}/${instance} got no traffic ${clock(r.start)}–${clock(r.end)} (~${formatDuration(seconds)}) while its peers served ${count(peersRate)}/s`,
          details: [
            nFailed > 0
              ? `${nFailed} failed health checks on ${instance}: the load balancer ejected it`
              : 'taken out of rotation (or stopped); no failed health check recorded',
          ],
          score: score(50 + Math.min(20, 2 * r.points) + (nFailed > 0 ? 5 : 0)),
          since: r.start,
          until: r.end,
          evidence: { service, instance, seconds, failedHealthChecks: nFailed, peersRatePerS: +peersRate.toFixed(2) },
          related: [],
          query: `sum by (${L.instance}) (rate(${selector(CALLS, eq(L.service, service), ...TRAFFIC)}[1m]))`,
          examples: {
            exemplars: selector(DURATION, eq(L.service, service), eq(L.instance, instance), HEALTH_CHECKS[1], FAILED),
            prefer: 'newest',
            jaeger: { service, tags: { 'http.route': '/healthz', error: 'true' } },
          },
        });
      }
    });
  }
  return out;
}

/** The ejections check: instances of replicated services left without traffic. */
export const ejections = defineCheck({
  name: 'ejections',
  kinds: KINDS,
  instant: INSTANT,
  range: RANGE,
  describe: (o) =>
    `instances left without traffic while their peers served (${replicated(o).join(', ') || 'no service has several instances'})`,
  hasData: (o) => replicated(o).length > 0,
  rank: ejectionFindings,
});
