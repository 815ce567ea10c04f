/**
 * Load-balancer ejections (pure), seen from the traffic: an instance of a service with several
 * instances that got (almost) no requests for a while as its peers kept serving. No load balancer
 * metric is needed; failed health checks on that instance, if any, are named with it.
 */
import type { Observations } from '../observations.ts';
import type { Series } from '../prometheus.ts';
import { CALLS, DURATION, HEALTH_ROUTES } from '../queries.ts';
import { clock, formatDuration, windowStart } from '../window.ts';
import { score, type Draft } from './draft.ts';
import { byKey, count, runs } from './stats.ts';

/** An instance below this share of an even split, while the service serves at least `minRate` req/s. */
export const EJECTION_RULES = { maxShareOfEven: 0.1, minRate: 0.2, minPoints: 2 } as const;

/** Ejection findings, unranked. */
export function ejectionFindings(o: Observations): Draft[] {
  const byService = new Map<string, Series[]>();
  for (const s of o.range.instanceRate) {
    const svc = s.labels['service_name'];
    if (svc && s.labels['instance']) byService.set(svc, [...(byService.get(svc) ?? []), s]);
  }
  const failed = byKey(o.instant.healthFailed, ['service_name', 'instance']);
  const from = windowStart(o.window);
  const out: Draft[] = [];
  for (const [service, series] of byService) {
    if (series.length < 2) continue;
    const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
    const values = series.map((s) => new Map(s.points));
    const totals = times.map((t) => values.reduce((a, m) => a + (m.get(t) ?? 0), 0));
    series.forEach((s, idx) => {
      const instance = s.labels['instance']!;
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
          details: [nFailed > 0 ? `${nFailed} failed health checks on ${instance}: the load balancer ejected it` : 'taken out of rotation (or stopped); no failed health check recorded'],
          score: score(50 + Math.min(20, 2 * r.points) + (nFailed > 0 ? 5 : 0)),
          since: r.start,
          until: r.end,
          evidence: { service, instance, seconds, failedHealthChecks: nFailed, peersRatePerS: +peersRate.toFixed(2) },
          related: [],
          query: `sum by (instance) (rate(${CALLS}{service_name="${service}",span_kind="SPAN_KIND_SERVER",http_route!~"${HEALTH_ROUTES}"}[1m]))`,
          examples: {
            exemplars: `${DURATION}{service_name="${service}",instance="${instance}",http_route=~"${HEALTH_ROUTES}",status_code="STATUS_CODE_ERROR"}`,
            prefer: 'newest',
            jaeger: { service, tags: { 'http.route': '/healthz', error: 'true' } },
          },
        });
      }
    });
  }
  return out;
}
