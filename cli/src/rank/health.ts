/** Failed health checks per service instance (pure): what makes a load balancer eject a replica. */
import type { Observations } from '../observations.ts';
import { CALLS, DURATION, HEALTH_ROUTES } from '../queries.ts';
import { clock, formatDuration, windowStart } from '../window.ts';
import { score, type Draft } from './draft.ts';
import { byKey, count, runs } from './stats.ts';

/** Health-check findings, unranked. */
export function healthFindings(o: Observations): Draft[] {
  const total = byKey(o.instant.healthChecks, ['service_name', 'instance']);
  const out: Draft[] = [];
  for (const s of o.instant.healthFailed) {
    const n = Math.round(s.value);
    if (n < 1) continue;
    const service = s.labels['service_name'] ?? '?';
    const instance = s.labels['instance'] ?? '?';
    const of = total.get(`${service}/${instance}`)?.value;
    const series = o.range.healthFailed.find((x) => x.labels['service_name'] === service && x.labels['instance'] === instance);
    const r = series ? runs(series, windowStart(o.window), o.step, (v) => v > 0) : [];
    const since = r[0]?.start;
    const until = r.at(-1)?.end;
    const failing = `span_kind="SPAN_KIND_SERVER",http_route=~"${HEALTH_ROUTES}",status_code="STATUS_CODE_ERROR"`;
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
      query: `sum by (instance) (increase(${CALLS}{service_name="${service}",${failing}}[1m]))`,
      examples: { exemplars: `${DURATION}{service_name="${service}",instance="${instance}",${failing}}`, prefer: 'newest', jaeger: { service, tags: { 'http.route': '/healthz', error: 'true' } } },
    });
  }
  return out;
}
