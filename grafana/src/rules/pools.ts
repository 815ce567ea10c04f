/** Connection pool rules, per service, instance and pool: saturated, slow to hand out a connection, timing out. */
import { L, queries as Q } from '@faultline/signals';
import { annotate } from './annotate.ts';
import { ALERT_CONFIG as C } from './config.ts';
import { DASHBOARD, grafanaUrl, jaegerSearchUrl, lbl, VALUE } from './links.ts';
import type { AlertRule } from './model.ts';

const pool = `${lbl(L.service)}/${lbl(L.instance)} pool ${lbl(L.poolName)}`;
const links = (panel: string) => ({
  jaeger_url: jaegerSearchUrl({ label: L.service }, { 'service.instance.id': { label: L.instance } }),
  grafana_url: grafanaUrl(DASHBOARD.incident, { service: { label: L.service } }),
  grafana_panel: `faultline / Incident overview › ${panel}`,
});

/** The pool rules. */
export function poolRules(): AlertRule[] {
  const w = C.poolWait;
  return [
    {
      alert: 'PoolSaturated',
      expr: `(${Q.poolUsed()} >= ${Q.poolMax()}) and ${Q.poolPending()} > 0`,
      for: C.poolSaturated.for,
      labels: { severity: 'critical' },
      annotations: annotate({
        summary: `${pool}: all ${VALUE} connections in use and requests waiting`,
        description: `Every connection of ${pool} is checked out and requests queue for one (db.client.connection.count{state=used} = max, pending_requests > 0). Health checks that need a connection fail next, then the load balancer ejects the instance. The spans show who holds the connections.`,
        ...links('Pool connections used vs max'),
      }),
      words: "connections used = the pool's max and requests waiting for one",
    },
    {
      alert: 'PoolAcquireWaitHigh',
      expr: `${Q.poolWaitQuantile(w.quantile, C.window.rate)} > ${w.seconds}`,
      for: w.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `${pool}: p${w.quantile * 100} wait for a connection ${VALUE}s`,
        description: `Over the last ${C.window.rate}, p${w.quantile * 100} of the time to get a connection from ${pool} is above ${w.seconds} s (db.client.connection.wait_time).`,
        ...links(`Connection wait p99`),
      }),
      words: `p${w.quantile * 100} time to get a connection over ${C.window.rate} > ${w.seconds} s`,
    },
    {
      alert: 'PoolAcquireTimeouts',
      expr: `${Q.poolTimeouts(C.window.rate)} > 0`,
      for: C.poolTimeouts.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `${pool}: ${VALUE} requests gave up waiting for a connection`,
        description: `In the last ${C.window.rate}, requests to ${pool} timed out waiting for a connection (db.client.connection.timeouts).`,
        ...links('Requests waiting for a connection'),
      }),
      words: `any connection-acquire timeout in the last ${C.window.rate}`,
    },
  ];
}
