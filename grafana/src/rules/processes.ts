/** Background jobs and process rules: a job backlog growing, jobs failing, a heap growing steadily. */
import { L, M, queries as Q } from '@faultline/signals';
import { annotate } from './annotate.ts';
import { ALERT_CONFIG as C } from './config.ts';
import { DASHBOARD, grafanaUrl, jaegerSearchUrl, lbl, VALUE, VALUE_BYTES } from './links.ts';
import type { AlertRule } from './model.ts';

/** The job and memory rules. */
export function processRules(): AlertRule[] {
  const b = C.backlog;
  const added = Q.jobsEnqueuedRate(b.window);
  const done = Q.jobsProcessedRate(b.window);
  const h = C.heap;
  const heapKey = `${L.service}, ${L.instance}`;
  const slope = `max by (${heapKey}) (deriv(${M.heapUsed}[${h.window}]))`;
  const aboveFloor = `max by (${heapKey}) (${M.heapUsed} - min_over_time(${M.heapUsed}[${h.floorWindow}]))`;
  const uptime = `(time() - max by (${heapKey}) (${M.processStart}))`;
  return [
    {
      alert: 'JobBacklogGrowing',
      expr: `${added} - ${Q.orZero(done, added)} > ${b.minRate}`,
      for: b.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `Job backlog growing by ${VALUE} jobs/s`,
        description: `Over the last ${b.window}, jobs were enqueued (producer spans) ${VALUE}/s faster than they were processed (consumer spans): the workers cannot keep up, or a batch is flooding the queue.`,
        jaeger_url: jaegerSearchUrl(C.edge),
        grafana_url: grafanaUrl(DASHBOARD.incident),
        grafana_panel: 'faultline / Incident overview › Job queue depth',
      }),
      words: `jobs enqueued minus jobs processed over ${b.window} > ${b.minRate}/s`,
    },
    {
      alert: 'JobsFailing',
      expr: `${Q.jobsFailedRate(C.window.rate)} > ${C.jobsFailing.minRate}`,
      for: C.jobsFailing.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `${lbl(L.service)}: ${VALUE} jobs/s of ${lbl(L.spanName)} fail`,
        description: `Over the last ${C.window.rate}, ${lbl(L.service)}'s ${lbl(L.spanName)} consumer spans ended with an error at ${VALUE}/s.`,
        jaeger_url: jaegerSearchUrl({ label: L.service }, { error: 'true' }),
        grafana_url: grafanaUrl(DASHBOARD.incident, { service: { label: L.service } }),
        grafana_panel: 'faultline / Incident overview › Jobs enqueued, completed, failed /s',
      }),
      words: `failed consumer (job) spans over ${C.window.rate} > ${C.jobsFailing.minRate}/s`,
    },
    {
      alert: 'HeapGrowing',
      expr: `${slope} > ${h.bytesPerSecond} and ${aboveFloor} > ${h.minGrowthBytes} and ${uptime} > ${h.minUptimeS}`,
      for: h.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `${lbl(L.service)}/${lbl(L.instance)}: V8 heap grows ${VALUE_BYTES}/s`,
        description: `${lbl(L.service)}/${lbl(L.instance)}'s heap in use grew steadily over the last ${h.window} and is more than ${h.minGrowthBytes / 2 ** 20} MiB above its lowest in the last ${h.floorWindow}: a leak keeps part of every request. Compare with its peers.`,
        jaeger_url: jaegerSearchUrl({ label: L.service }, { 'service.instance.id': { label: L.instance } }),
        grafana_url: grafanaUrl(DASHBOARD.incident, { service: { label: L.service } }),
        grafana_panel: 'faultline / Incident overview › Requests/s (heap: Explore v8js.memory.heap.used)',
      }),
      words: `a process's V8 heap slope over ${h.window} > ${h.bytesPerSecond / 1024} KiB/s and > ${h.minGrowthBytes / 2 ** 20} MiB above its ${h.floorWindow} minimum (process up ≥ ${h.minUptimeS / 60} min)`,
    },
  ];
}
