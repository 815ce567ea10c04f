/**
 * Every metric faultline reads in Prometheus, by what it means, with the name it has there. Metrics
 * the preload records are derived from their OpenTelemetry names in instrumentation/src/semconv.ts
 * with {@link promMetric}; the Collector's connectors and its own telemetry are named as their
 * components document them. Nothing outside this workspace spells a metric name.
 */
import {
  METRIC_BREAKER_EVENTS,
  METRIC_BREAKER_STATE,
  METRIC_CONNECTION_COUNT,
  METRIC_CONNECTION_MAX,
  METRIC_CONNECTION_PENDING,
  METRIC_CONNECTION_TIMEOUTS,
  METRIC_CONNECTION_WAIT_TIME,
  ATTR_QUEUE_TIME,
} from '@faultline/instrumentation/semconv';
import { bucket, promMetric } from './naming.ts';

/**
 * The span_metrics connector's metrics (collector/config.yaml `span_metrics`, default namespace
 * `traces.span.metrics`): one call counter and one duration histogram (unit `ms`) per service, span
 * name, kind, status and faultline's dimensions (`client.id`, `http.route`, pool name, `cache.hit`, …).
 */
const SPAN_CALLS = promMetric('traces.span.metrics.calls', 'counter');
const SPAN_DURATION = promMetric('traces.span.metrics.duration', 'histogram', 'ms');
/** The service_graph connector's metrics (namespace `traces.service.graph`). */
const GRAPH_REQUESTS = promMetric('traces.service.graph.request', 'counter');
const GRAPH_FAILED = promMetric('traces.service.graph.request.failed', 'counter');
const GRAPH_SERVER_SECONDS = promMetric('traces.service.graph.request.server', 'histogram', 's');

/** Metric names as Prometheus has them. Histograms are base names: take `bucket()` etc. of them. */
export const M = {
  // --- span metrics and service graph (the Collector, from every span) ----------------------------
  /** Counter: spans, i.e. calls (`traces_span_metrics_calls_total`). */
  calls: SPAN_CALLS,
  /** Histogram, ms: span durations (`traces_span_metrics_duration_milliseconds`). */
  duration: SPAN_DURATION,
  /** The bucket series of {@link M.duration} (exemplars hang on it). */
  durationBucket: bucket(SPAN_DURATION),
  /** Counter: calls between two services (`client` → `server`). */
  graphRequests: GRAPH_REQUESTS,
  /** Counter: failed calls between two services. */
  graphFailed: GRAPH_FAILED,
  /** Histogram, s: server-side duration of calls between two services. */
  graphServerDuration: GRAPH_SERVER_SECONDS,

  // --- connection pools (the preload; semantic conventions db.client.connection.*) ---------------
  /** Gauge: connections per state (`used`, `idle`). */
  poolConnections: promMetric(METRIC_CONNECTION_COUNT, 'gauge', '{connection}'),
  /** Gauge: the pool's maximum. */
  poolMax: promMetric(METRIC_CONNECTION_MAX, 'gauge', '{connection}'),
  /** Gauge: requests waiting for a connection. */
  poolPending: promMetric(METRIC_CONNECTION_PENDING, 'gauge', '{request}'),
  /** Histogram, s: time to get a connection. */
  poolWait: promMetric(METRIC_CONNECTION_WAIT_TIME, 'histogram', 's'),
  /** Counter: requests that gave up waiting for a connection. */
  poolTimeouts: promMetric(METRIC_CONNECTION_TIMEOUTS, 'counter', '{timeout}'),

  // --- the LB hop and resilience (the preload; faultline additions) --------------------------------
  /** Histogram, s: time between the edge and this server (`x-request-start`). */
  queueTime: promMetric(ATTR_QUEUE_TIME, 'histogram', 's'),
  /** Gauge: circuit breaker state (0 closed, 1 half-open, 2 open). */
  breakerState: promMetric(METRIC_BREAKER_STATE, 'gauge'),
  /** Counter: circuit breaker events. */
  breakerEvents: promMetric(METRIC_BREAKER_EVENTS, 'counter', '{event}'),

  // --- background jobs (BullMQ's own telemetry) ----------------------------------------------------
  /** Counter: jobs completed. */
  jobsCompleted: promMetric('bullmq.jobs.completed', 'counter'),
  /** Counter: jobs failed. */
  jobsFailed: promMetric('bullmq.jobs.failed', 'counter'),
  /** Gauge: jobs in the queue per state. */
  queueJobs: promMetric('bullmq.queue.jobs', 'gauge'),
  /** Histogram, ms: job processing time. */
  jobDuration: promMetric('bullmq.job.duration', 'histogram', 'ms'),

  // --- Prometheus' own series ------------------------------------------------------------------------
  /** Prometheus' alerting rules: one series per pending or firing alert (value 1), labels `alertname`, `alertstate` and the rule's. */
  alerts: 'ALERTS',

  // --- processes and SDKs ---------------------------------------------------------------------------
  /** Info metric: one series per SDK (resource attributes as labels; `job` is the service name). */
  targetInfo: 'target_info',
  /** Gauge, s since epoch: when each SDK started (collector/config.yaml `transform/start_time`). */
  processStart: promMetric('process.start_time', 'gauge', 's'),
  /** Gauge, bytes: V8 heap in use (runtime metrics). */
  heapUsed: promMetric('v8js.memory.heap.used', 'gauge', 'By'),
  /** Gauge, bytes: process resident memory (runtime metrics). */
  processMemory: promMetric('process.memory.usage', 'gauge', 'By'),
  /** Counter: spans an SDK's processor handled (label `error.type` when dropped). */
  sdkSpansProcessed: promMetric('otel.sdk.processor.span.processed', 'counter', '{span}'),
  /** Gauge: spans waiting in an SDK's export queue. */
  sdkQueueSize: promMetric('otel.sdk.processor.span.queue.size', 'gauge', '{span}'),
  /** Gauge: the SDK export queue's capacity. */
  sdkQueueCapacity: promMetric('otel.sdk.processor.span.queue.capacity', 'gauge', '{span}'),

  // --- the Collector's own telemetry (its :8888 endpoint, scraped as job `otelcol`) ----------------
  collectorAcceptedSpans: 'otelcol_receiver_accepted_spans',
  collectorRefusedSpans: 'otelcol_receiver_refused_spans',
  collectorAcceptedPoints: 'otelcol_receiver_accepted_metric_points',
  collectorRefusedPoints: 'otelcol_receiver_refused_metric_points',
  collectorProcessorIn: 'otelcol_processor_incoming_items',
  collectorProcessorOut: 'otelcol_processor_outgoing_items',
  collectorSentSpans: 'otelcol_exporter_sent_spans',
  collectorSentPoints: 'otelcol_exporter_sent_metric_points',
  collectorFailedSpans: 'otelcol_exporter_send_failed_spans',
  collectorQueueSize: 'otelcol_exporter_queue_size',
  /** Counter: traces tail sampling dropped before their decision (its `num_traces` buffer was full). */
  collectorTracesDroppedUndecided: 'otelcol_processor_tail_sampling_sampling_trace_dropped_too_early',
  /** Counter: spans the service_graph connector dropped (its store of unpaired spans, `max_items`, was full). */
  collectorServiceGraphDroppedSpans: 'otelcol_connector_servicegraph_dropped_spans',
  collectorQueueCapacity: 'otelcol_exporter_queue_capacity',
  collectorRss: 'otelcol_process_memory_rss',
  collectorCpu: 'otelcol_process_cpu_seconds',
} as const;

/**
 * A selector for a counter whether or not the exporter added `_total` (older Collectors did not for
 * every unit): `{__name__=~"<base>(_total)?"}` plus `matchers`.
 */
export function counterAnySuffix(counter: string, matchers = ''): string {
  const base = counter.replace(/_total$/, '');
  return `{__name__=~"${base}(_total)?"${matchers ? `,${matchers}` : ''}}`;
}
