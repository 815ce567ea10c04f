/**
 * Collector health: what the Collector accepts, refuses, drops and fails to send, its exporter queue,
 * and the SDKs' own span queues (spans dropped before they ever reach the Collector).
 */
import { DashboardBuilder, DashboardCursorSync, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { graph } from './panels.ts';
import { orZero, RATE } from './promql.ts';
import { prom } from './queries.ts';

const rate = (by: string, metric: string, sel = '') => `sum by (${by}) (rate(${metric}${sel ? `{${sel}}` : ''}[${RATE}]))`;

/** Builds the Collector health dashboard. */
export function collectorHealthDashboard(): DashboardBuilder {
  const processed = rate('service_name', 'otel_sdk_processor_span_processed_total');
  return new DashboardBuilder('faultline / Collector health')
    .uid('faultline-collector').tags(['faultline']).refresh('10s').time({ from: 'now-30m', to: 'now' }).timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .withRow(new RowBuilder('Receivers'))
    .withPanel(graph('Spans accepted / refused /s', 'OTLP spans accepted and refused (memory_limiter back-pressure, bad auth) per receiver and transport.', [
      prom(rate('receiver, transport', 'otelcol_receiver_accepted_spans'), { refId: 'A', legend: '{{receiver}}/{{transport}} accepted' }),
      prom(rate('receiver, transport', 'otelcol_receiver_refused_spans'), { refId: 'B', legend: '{{receiver}}/{{transport}} refused' }),
    ], { unit: 'short', min: 0 }))
    .withPanel(graph('Metric points accepted / refused /s', 'OTLP metric points from the SDKs accepted and refused.', [
      prom(rate('receiver, transport', 'otelcol_receiver_accepted_metric_points'), { refId: 'A', legend: '{{receiver}}/{{transport}} accepted' }),
      prom(rate('receiver, transport', 'otelcol_receiver_refused_metric_points'), { refId: 'B', legend: '{{receiver}}/{{transport}} refused' }),
    ], { unit: 'short', min: 0 }))
    .withRow(new RowBuilder('Processors and exporters'))
    .withPanel(graph('Dropped in processors /s', 'Items into minus items out of each processor (a processor that filters or fails drops the difference).',
      [prom(`${rate('processor, otel_signal', 'otelcol_processor_incoming_items')} - ${rate('processor, otel_signal', 'otelcol_processor_outgoing_items')}`, { legend: '{{processor}} {{otel_signal}}' })],
      { unit: 'short', span: 8 }))
    .withPanel(graph('Sent / failed /s', 'Spans sent to Jaeger and metric points to the Prometheus exporter, and send failures (0 while all is well).', [
      prom(rate('exporter', 'otelcol_exporter_sent_spans'), { refId: 'A', legend: '{{exporter}} spans sent' }),
      prom(rate('exporter', 'otelcol_exporter_sent_metric_points'), { refId: 'B', legend: '{{exporter}} points sent' }),
      prom(orZero(rate('exporter', 'otelcol_exporter_send_failed_spans'), rate('exporter', 'otelcol_exporter_sent_spans')), { refId: 'C', legend: '{{exporter}} spans failed' }),
    ], { unit: 'short', min: 0, span: 8 }))
    .withPanel(graph('Exporter queue', 'Batches waiting in each exporter\'s sending queue, against its capacity (Jaeger down: it fills, on disk).', [
      prom('max by (exporter) (otelcol_exporter_queue_size)', { refId: 'A', legend: '{{exporter}} size' }),
      prom('max by (exporter) (otelcol_exporter_queue_capacity)', { refId: 'B', legend: '{{exporter}} capacity' }),
    ], { unit: 'short', min: 0, span: 8 }))
    .withRow(new RowBuilder('SDKs and the Collector process'))
    .withPanel(graph('SDK spans dropped /s', 'Spans each service\'s SDK dropped because its export queue was full (otel.sdk.processor.span.processed with error.type).',
      [prom(orZero(rate('service_name', 'otel_sdk_processor_span_processed_total', 'error_type!=""'), processed), { legend: '{{service_name}}' })], { unit: 'short', min: 0, span: 8 }))
    .withPanel(graph('SDK span queue', 'Spans waiting in each process\'s batch span processor, against its capacity.', [
      prom('max by (service_name, instance) (otel_sdk_processor_span_queue_size)', { refId: 'A', legend: '{{instance}} size' }),
      prom('max by (service_name, instance) (otel_sdk_processor_span_queue_capacity)', { refId: 'B', legend: '{{instance}} capacity' }),
    ], { unit: 'short', min: 0, span: 8 }))
    .withPanel(graph('Collector memory and CPU', 'Resident memory (against memory_limiter\'s limit) and CPU seconds per second.', [
      prom('max(otelcol_process_memory_rss)', { refId: 'A', legend: 'RSS bytes' }),
      prom(`rate(otelcol_process_cpu_seconds[${RATE}])`, { refId: 'B', legend: 'CPU s/s' }),
    ], { unit: 'short', min: 0, span: 8 }));
}
