/** Dependency rules: a circuit breaker open, retries rising, calls timing out (per breaker or calling service). */
import { L, queries as Q } from '@faultline/signals';
import { annotate } from './annotate.ts';
import { ALERT_CONFIG as C } from './config.ts';
import { DASHBOARD, grafanaUrl, jaegerSearchUrl, lbl, VALUE } from './links.ts';
import type { AlertRule } from './model.ts';

const breaker = `${lbl(L.service)}/${lbl(L.instance)} breaker ${lbl(L.breakerName)}`;
const links = (panel: string, tags: Record<string, string | { label: string }> = { error: 'true' }) => ({
  jaeger_url: jaegerSearchUrl({ label: L.service }, tags),
  grafana_url: grafanaUrl(DASHBOARD.incident, { service: { label: L.service } }),
  grafana_panel: `faultline / Incident overview › ${panel}`,
});

/** The dependency rules. */
export function dependencyRules(): AlertRule[] {
  const r = C.window.rate;
  const retries = Q.retryRate(r);
  const retriesBase = Q.retryRate(C.baseline.range, C.baseline.offset);
  const b = C.breakerOpen;
  return [
    {
      alert: 'CircuitBreakerOpen',
      expr: `${Q.breakerStateMax(b.window)} >= 2`,
      for: b.for,
      labels: { severity: 'critical' },
      annotations: annotate({
        summary: `${breaker} opened: calls to ${lbl(L.breakerName)} fail fast`,
        description: `The circuit breaker ${lbl(L.breakerName)} in ${lbl(L.service)}/${lbl(L.instance)} was open in the last ${b.window} (circuit_breaker.state = 2): the dependency failed or timed out often enough that calls to it are rejected without trying.`,
        ...links('Circuit breaker state', { 'service.instance.id': { label: L.instance }, error: 'true' }),
      }),
      words: `a circuit breaker's state was open (2) at any moment of the last ${b.window}`,
    },
    {
      alert: 'RetriesRising',
      expr: `${retries} > ${C.retries.minRate} and ${retries} > ${C.retries.factor} * ${Q.orZero(retriesBase, retries)}`,
      for: C.retries.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `${lbl(L.service)} retries ${VALUE} calls/s`,
        description: `Over the last ${r}, ${lbl(L.service)} resent ${VALUE} outgoing calls per second (http.request.resend_count), at least ${C.retries.factor}× its rate in the ${C.baseline.range} before: a dependency is failing, and retries add to its load.`,
        ...links('Calls to $dependency: failed, timeouts, retries'),
      }),
      words: `a service's retried calls (client spans with http.request.resend_count) over ${r} ≥ ${C.retries.minRate}/s and ≥ ${C.retries.factor}× its baseline`,
    },
    {
      alert: 'DependencyTimeouts',
      expr: `${Q.breakerEventRate('timeout', r)} > ${C.timeouts.minRate}`,
      for: C.timeouts.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `${breaker}: ${VALUE} calls/s to ${lbl(L.breakerName)} time out`,
        description: `Over the last ${r}, calls from ${lbl(L.service)}/${lbl(L.instance)} to ${lbl(L.breakerName)} timed out at ${VALUE}/s (circuit_breaker.events{event=timeout}).`,
        ...links('Circuit breaker events/s'),
      }),
      words: `calls a circuit breaker timed out over ${r} ≥ ${C.timeouts.minRate}/s`,
    },
  ];
}
