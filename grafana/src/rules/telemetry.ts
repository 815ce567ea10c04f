/**
 * The telemetry itself (the "dashboards are all green because nothing arrives" case): a service that
 * stopped sending spans, the Collector refusing, failing to export or dropping spans inside (tail sampling,
 * the service graph), an SDK dropping spans.
 */
import { L, queries as Q } from '@faultline/signals';
import { annotate } from './annotate.ts';
import { ALERT_CONFIG as C } from './config.ts';
import { DASHBOARD, grafanaUrl, jaegerSearchUrl, lbl, VALUE } from './links.ts';
import type { AlertRule } from './model.ts';

const collectorLinks = (panel: string) => ({
  jaeger_url: jaegerSearchUrl(C.edge),
  grafana_url: grafanaUrl(DASHBOARD.collector),
  grafana_panel: `faultline / Collector health › ${panel}`,
});

/** The telemetry rules. */
export function telemetryRules(): AlertRule[] {
  const s = C.spansStopped;
  // An average over a long history: it keeps the alert firing while the service stays silent.
  const steady = `${Q.serviceSpanRate(s.history, s.window)} > ${s.minRate}`;
  const r = C.window.rate;
  return [
    {
      alert: 'ServiceStoppedSendingSpans',
      expr: `${steady} unless on (${L.service}) ${Q.serviceSpanRate(s.window)} > 0`,
      for: s.for,
      labels: { severity: 'critical' },
      annotations: annotate({
        summary: `${lbl(L.service)} stopped sending spans`,
        description: `${lbl(L.service)} sent ${s.minRate} spans/s or more on average over the ${s.history} before and none in the last ${s.window}: the service is down, or its telemetry is cut off (SDK, network, Collector). Its dashboards look calm because nothing arrives.`,
        jaeger_url: jaegerSearchUrl({ label: L.service }),
        grafana_url: grafanaUrl(DASHBOARD.collector),
        grafana_panel: 'faultline / Collector health › Spans accepted / refused /s',
      }),
      words: `a service that sent ≥ ${s.minRate} spans/s on average over the ${s.history} before sends none over ${s.window}`,
    },
    {
      alert: 'CollectorRefusing',
      expr: `${Q.collectorRefusedSpansRate(r)} > 0 or ${Q.collectorRefusedPointsRate(r)} > 0`,
      for: C.collectorRefusing.for,
      labels: { severity: 'critical' },
      annotations: annotate({
        summary: `Collector receiver ${lbl(L.receiver)} refuses ${VALUE} items/s`,
        description: `Over the last ${r}, the Collector's ${lbl(L.receiver)} receiver refused spans or metric points (memory_limiter back-pressure, bad auth): SDKs retry, then drop.`,
        ...collectorLinks('Spans accepted / refused /s'),
      }),
      words: `the Collector's receivers refused spans or metric points over ${r}`,
    },
    {
      alert: 'CollectorExportFailing',
      expr: `${Q.collectorExportFailedRate(r)} > 0`,
      for: C.exportFailing.for,
      labels: { severity: 'critical' },
      annotations: annotate({
        summary: `Collector exporter ${lbl(L.exporter)} fails to send ${VALUE} spans/s`,
        description: `Over the last ${r}, the Collector's ${lbl(L.exporter)} exporter failed to send spans: the trace backend is down or refusing. Its queue fills, then spans are lost.`,
        ...collectorLinks('Sent / failed /s'),
      }),
      words: `the Collector's exporters failed to send spans over ${r}`,
    },
    {
      alert: 'SdkDroppingSpans',
      expr: `${Q.sdkSpansDroppedRate(r)} > 0`,
      for: C.sdkDropping.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `${lbl(L.service)}'s SDK drops ${VALUE} spans/s`,
        description: `Over the last ${r}, ${lbl(L.service)}'s OpenTelemetry SDK dropped spans before export (its queue was full): the Collector is slow or unreachable, or the service makes more spans than it can send.`,
        ...collectorLinks('SDK spans dropped /s'),
      }),
      words: `an SDK dropped spans (processor count with error.type) over ${r}`,
    },
    {
      alert: 'TailSamplingDroppingTraces',
      expr: `${Q.collectorTracesDroppedUndecidedRate(r)} > 0`,
      for: C.tracesDroppedUndecided.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `Collector ${lbl(L.instance)} drops ${VALUE} traces/s before deciding on them`,
        description: `Over the last ${r}, tail sampling on ${lbl(L.instance)} dropped traces undecided: more traces arrived within one decision wait than its buffer holds (COLLECTOR_SAMPLING_NUM_TRACES). They are lost, incident traces included; raise the buffer to new traces/s × the decision wait, or add gateways.`,
        ...collectorLinks('Dropped in processors /s'),
      }),
      words: `tail sampling dropped traces before their decision (its num_traces buffer full) over ${r}`,
    },
    {
      alert: 'ServiceGraphDroppingSpans',
      expr: `${Q.collectorServiceGraphDroppedRate(r)} > 0`,
      for: C.serviceGraphDropping.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `Collector ${lbl(L.instance)}'s service graph drops ${VALUE} spans/s`,
        description: `Over the last ${r}, the service_graph connector on ${lbl(L.instance)} dropped spans because its store of unpaired client and server spans was full (COLLECTOR_SERVICE_GRAPH_MAX_ITEMS): the service graph and its edge rates undercount. Traces and span metrics are not affected.`,
        ...collectorLinks('Dropped in processors /s'),
      }),
      words: `the service graph connector dropped spans (its store of unpaired spans full) over ${r}`,
    },
  ];
}
