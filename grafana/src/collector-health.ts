/**
 * Collector health: what the Collector accepts, refuses, drops and fails to send, its exporter queue,
 * and the SDKs' own span queues (spans dropped before they ever reach the Collector).
 */
import { DashboardBuilder, DashboardCursorSync, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { graph } from './panels.ts';
import { orZero, RATE } from './promql.ts';
import { prom } from './queries.ts';
import { L, M, ne, selector } from '@faultline/signals';

const rate = (by: string, metric: string, sel = '') => `sum by (${by}) (rate(${selector(metric, sel)}[${RATE}]))`;
const max = (by: string, metric: string) => `max by (${by}) (${metric})`;
/** Labels of a receiver's series, a processor's, a process's. */
const RECEIVER = `${L.receiver}, ${L.transport}`;
const PROCESSOR = `${L.processor}, ${L.otelSignal}`;
const PROCESS = `${L.service}, ${L.instance}`;
const legend = (...labels: string[]) => labels.map((l) => `{{${l}}}`);
const [RECV, TRANSPORT, EXPORTER] = legend(L.receiver, L.transport, L.exporter);

/** Builds the Collector health dashboard. */
export function collectorHealthDashboard(): DashboardBuilder {
  const processed = rate(L.service, M.sdkSpansProcessed);
  // One series per Collector (its items in), for the drop counters that exist only once something dropped.
  const perCollector = rate(L.instance, M.collectorProcessorIn);
  return new DashboardBuilder('faultline / Collector health')
    .uid('faultline-collector')
    .tags(['faultline'])
    .refresh('10s')
    .time({ from: 'now-30m', to: 'now' })
    .timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .withRow(new RowBuilder('Receivers'))
    .withPanel(
      graph(
        'Spans accepted / refused /s',
        'OTLP spans accepted and refused (memory_limiter back-pressure, bad auth) per receiver and transport.',
        [
          prom(rate(RECEIVER, M.collectorAcceptedSpans), { refId: 'A', legend: `${RECV}/${TRANSPORT} accepted` }),
          prom(rate(RECEIVER, M.collectorRefusedSpans), { refId: 'B', legend: `${RECV}/${TRANSPORT} refused` }),
        ],
        { unit: 'short', min: 0 },
      ),
    )
    .withPanel(
      graph(
        'Metric points accepted / refused /s',
        'OTLP metric points from the SDKs accepted and refused.',
        [
          prom(rate(RECEIVER, M.collectorAcceptedPoints), { refId: 'A', legend: `${RECV}/${TRANSPORT} accepted` }),
          prom(rate(RECEIVER, M.collectorRefusedPoints), { refId: 'B', legend: `${RECV}/${TRANSPORT} refused` }),
        ],
        { unit: 'short', min: 0 },
      ),
    )
    .withRow(new RowBuilder('Processors and exporters'))
    .withPanel(
      graph(
        'Dropped in processors /s',
        'Items into minus items out of each processor (a processor that filters or fails drops the difference; tail sampling drops the traces it does not keep); traces tail sampling dropped before deciding (its num_traces buffer full: lost, not sampled out); spans the service graph dropped (its store of unpaired spans full: edges undercounted). The last two are 0 while all is well.',
        [
          prom(`${rate(PROCESSOR, M.collectorProcessorIn)} - ${rate(PROCESSOR, M.collectorProcessorOut)}`, {
            refId: 'A',
            legend: legend(L.processor, L.otelSignal).join(' '),
          }),
          prom(orZero(rate(L.instance, M.collectorTracesDroppedUndecided), perCollector), {
            refId: 'B',
            legend: `{{${L.instance}}} traces dropped undecided`,
          }),
          prom(orZero(rate(L.instance, M.collectorServiceGraphDroppedSpans), perCollector), {
            refId: 'C',
            legend: `{{${L.instance}}} service graph spans dropped`,
          }),
        ],
        { unit: 'short', span: 8 },
      ),
    )
    .withPanel(
      graph(
        'Sent / failed /s',
        'Spans sent to Jaeger and metric points to the Prometheus exporter, and send failures (0 while all is well).',
        [
          prom(rate(L.exporter, M.collectorSentSpans), { refId: 'A', legend: `${EXPORTER} spans sent` }),
          prom(rate(L.exporter, M.collectorSentPoints), { refId: 'B', legend: `${EXPORTER} points sent` }),
          prom(orZero(rate(L.exporter, M.collectorFailedSpans), rate(L.exporter, M.collectorSentSpans)), {
            refId: 'C',
            legend: `${EXPORTER} spans failed`,
          }),
        ],
        { unit: 'short', min: 0, span: 8 },
      ),
    )
    .withPanel(
      graph(
        'Exporter queue',
        "Batches waiting in each exporter's sending queue, against its capacity (Jaeger down: it fills, on disk).",
        [
          prom(max(L.exporter, M.collectorQueueSize), { refId: 'A', legend: `${EXPORTER} size` }),
          prom(max(L.exporter, M.collectorQueueCapacity), { refId: 'B', legend: `${EXPORTER} capacity` }),
        ],
        { unit: 'short', min: 0, span: 8 },
      ),
    )
    .withRow(new RowBuilder('SDKs and the Collector process'))
    .withPanel(
      graph(
        'SDK spans dropped /s',
        "Spans each service's SDK dropped because its export queue was full (otel.sdk.processor.span.processed with error.type).",
        [prom(orZero(rate(L.service, M.sdkSpansProcessed, ne(L.errorType, '')), processed), { legend: `{{${L.service}}}` })],
        { unit: 'short', min: 0, span: 8 },
      ),
    )
    .withPanel(
      graph(
        'SDK span queue',
        "Spans waiting in each process's batch span processor, against its capacity.",
        [
          prom(max(PROCESS, M.sdkQueueSize), { refId: 'A', legend: `{{${L.instance}}} size` }),
          prom(max(PROCESS, M.sdkQueueCapacity), { refId: 'B', legend: `{{${L.instance}}} capacity` }),
        ],
        { unit: 'short', min: 0, span: 8 },
      ),
    )
    .withPanel(
      graph(
        'Collector memory and CPU',
        "Resident memory (against memory_limiter's limit) and CPU seconds per second.",
        [
          prom(`max(${M.collectorRss})`, { refId: 'A', legend: 'RSS bytes' }),
          prom(`rate(${M.collectorCpu}[${RATE}])`, { refId: 'B', legend: 'CPU s/s' }),
        ],
        { unit: 'short', min: 0, span: 8 },
      ),
    );
}
