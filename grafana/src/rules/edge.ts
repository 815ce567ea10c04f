/**
 * Load-balancer rules, per service and instance, seen from the backends' own server spans (no load
 * balancer metric needed): health checks failing, a backend ejected (failing checks and its traffic
 * gone), one backend without traffic while its peers serve.
 */
import { L, queries as Q } from '@faultline/signals';
import { annotate } from './annotate.ts';
import { ALERT_CONFIG as C } from './config.ts';
import { DASHBOARD, grafanaUrl, jaegerSearchUrl, lbl, VALUE, VALUE_PERCENT } from './links.ts';
import type { AlertRule } from './model.ts';

const inst = `${lbl(L.service)}/${lbl(L.instance)}`;
const links = (panel: string) => ({
  jaeger_url: jaegerSearchUrl({ label: L.service }, { 'service.instance.id': { label: L.instance } }),
  grafana_url: grafanaUrl(DASHBOARD.incident, { service: { label: L.service } }),
  grafana_panel: `faultline / Incident overview › ${panel}`,
});

/** `rate < share × an even split of the service's rate, while the service serves ≥ minRate`. */
function starved(rate: string, maxShareOfEven: number, minRate: number): string {
  const even = `(sum by (${L.service}) (${rate}) / count by (${L.service}) (${rate}))`;
  return `(${rate} < on (${L.service}) group_left () (${maxShareOfEven} * ${even}) and on (${L.service}) sum by (${L.service}) (${rate}) > ${minRate})`;
}

/** The edge rules. */
export function edgeRules(): AlertRule[] {
  const h = C.healthChecks;
  const fast = C.window.fast;
  const failedRatio = `${Q.healthCheckRate(fast, true)} / ${Q.healthCheckRate(fast)}`;
  return [
    {
      alert: 'HealthChecksFailing',
      expr: `${failedRatio} > ${h.minRatio}`,
      for: h.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `${inst}: ${VALUE_PERCENT} of health checks fail`,
        description: `Over the last ${fast}, ${VALUE_PERCENT} of ${inst}'s health check requests ended with an error (5xx): the load balancer will eject it. A saturated pool is the usual cause.`,
        ...links('Requests/s'),
      }),
      words: `≥ ${h.minRatio * 100}% of an instance's health check requests over ${fast} failed`,
    },
    {
      alert: 'BackendEjected',
      expr: `${starved(Q.instanceRequestRate(C.window.ejection), C.ejected.maxShareOfEven, C.ejected.minRate)} and on (${L.service}, ${L.instance}) ${Q.healthCheckRate(C.window.rate, true)} > 0`,
      for: C.ejected.for,
      labels: { severity: 'critical' },
      annotations: annotate({
        summary: `${inst} ejected: its health checks fail and it serves ${VALUE} req/s while its peers take the traffic`,
        description: `${inst} gets under ${C.ejected.maxShareOfEven * 100}% of an even share of ${lbl(L.service)}'s requests (last ${C.window.ejection}) and its health checks fail: the load balancer took it out; its peers carry its load. This explains its health-check and traffic alerts (inhibited).`,
        ...links('Request queue time p95 (lb → backend)'),
      }),
      words: `an instance under ${C.ejected.maxShareOfEven * 100}% of an even split of its service's requests over ${C.window.ejection}, with failed health checks in the last ${C.window.rate} (service ≥ ${C.ejected.minRate} req/s)`,
    },
    {
      alert: 'BackendWithoutTraffic',
      expr: starved(Q.instanceRequestRate(fast), C.noTraffic.maxShareOfEven, C.noTraffic.minRate),
      for: C.noTraffic.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `${inst} serves ${VALUE} req/s while its peers serve ${lbl(L.service)}'s traffic`,
        description: `${inst} gets under ${C.noTraffic.maxShareOfEven * 100}% of an even share of ${lbl(L.service)}'s requests over the last ${fast}: out of rotation, stuck, or cut off from the load balancer.`,
        ...links('Requests/s'),
      }),
      words: `an instance under ${C.noTraffic.maxShareOfEven * 100}% of an even split of its service's requests over ${fast} (service ≥ ${C.noTraffic.minRate} req/s)`,
    },
  ];
}
