/**
 * The Incident overview's lower half: queueing at the edge, the external dependency (errors, timeouts,
 * retries, circuit breakers), the cache, background jobs and the service graph.
 */
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import { RowBuilder, type Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { breakerStates, dependencyGraph, graph, mergedTable } from './panels.ts';
import { CALLS, orZero, quantile, RATE, rateBy, ratio } from './promql.ts';
import { jaegerDependencyGraph, prom } from './queries.ts';

const SVC = 'service_name=~"$service"';
const GRAPH = 'client=~"$service",server="$dependency"';
const BREAKER = `max by (service_name, instance, circuit_breaker_name) (circuit_breaker_state{${SVC}})`;

/** Rows and panels, in order. */
export function dependencyPanels(): (RowBuilder | Builder<Panel>)[] {
  const sent = rateBy('client', 'traces_service_graph_request_total', GRAPH);
  const clientSpans = rateBy('service_name', CALLS, `${SVC},span_kind="SPAN_KIND_CLIENT"`);
  const jobsDone = rateBy('bullmq_queue_name', 'bullmq_jobs_completed_total', SVC);
  const cacheReads = rateBy('service_name', CALLS, `${SVC},cache_hit=~"true|false"`);
  const produced = `sum(${CALLS}{span_kind="SPAN_KIND_PRODUCER"})`;
  const consumed = `sum(${CALLS}{span_kind="SPAN_KIND_CONSUMER"})`;
  return [
    new RowBuilder('Edge and external dependency'),
    graph('Request queue time p95 (lb → backend)', 'Time from the lb stamping x-request-start to the backend handling the request (http.server.request.queue_time).',
      [prom(quantile(0.95, 'service_name, instance', 'http_server_request_queue_time_seconds_bucket', SVC), { legend: '{{instance}}' })], { unit: 's', min: 0, span: 8 }),
    graph('Calls to $dependency: failed, timeouts, retries', 'Failed calls (service graph), breaker timeouts and HTTP retries (http.request.resend_count) per second; 0 while all is well.', [
      prom(orZero(rateBy('client', 'traces_service_graph_request_failed_total', GRAPH), sent), { refId: 'A', legend: '{{client}} failed' }),
      prom(orZero(`sum by (service_name) (rate(circuit_breaker_events_total{${SVC},circuit_breaker_event="timeout"}[${RATE}]))`, `sum by (service_name) (${BREAKER})`),
        { refId: 'B', legend: '{{service_name}} timeouts' }),
      prom(orZero(rateBy('service_name', CALLS, `${SVC},span_kind="SPAN_KIND_CLIENT",http_request_resend_count!=""`), clientSpans), { refId: 'C', legend: '{{service_name}} retries' }),
    ], { unit: 'reqps', min: 0, span: 8 }),
    breakerStates('Circuit breaker state', 'circuit_breaker.state per process: closed, half-open, open.', [prom(BREAKER, { legend: '{{instance}} {{circuit_breaker_name}}' })], { span: 8 }),
    graph('Circuit breaker events/s', 'circuit_breaker.events by event (open, halfOpen, close, reject, timeout, failure, ...); 0 while none happened.',
      [prom(orZero(`sum by (service_name, circuit_breaker_name, circuit_breaker_event) (rate(circuit_breaker_events_total{${SVC}}[${RATE}]))`, `sum by (service_name, circuit_breaker_name) (${BREAKER})`),
        { legend: '{{service_name}} {{circuit_breaker_name}} {{circuit_breaker_event}}' })], { unit: 'short', min: 0, span: 12 }),
    graph('Cache hit ratio', 'Redis reads that found a value (span attribute cache.hit, a span-metric dimension).',
      [prom(ratio(rateBy('service_name', CALLS, `${SVC},cache_hit="true"`), cacheReads), { legend: '{{service_name}}' })], { unit: 'percentunit', min: 0, max: 1, span: 12 }),
    new RowBuilder('Background jobs'),
    graph('Jobs enqueued, completed, failed /s', 'Producer spans (enqueued) and BullMQ\'s own counters (completed, failed).', [
      prom(rateBy('service_name', CALLS, `${SVC},span_kind="SPAN_KIND_PRODUCER"`), { refId: 'A', legend: '{{service_name}} enqueued' }),
      prom(jobsDone, { refId: 'B', legend: '{{bullmq_queue_name}} completed' }),
      prom(orZero(rateBy('bullmq_queue_name', 'bullmq_jobs_failed_total', SVC), jobsDone), { refId: 'C', legend: '{{bullmq_queue_name}} failed' }),
    ], { unit: 'short', min: 0, span: 8 }),
    graph('Job queue depth', 'bullmq.queue.jobs by state when the app records it; otherwise jobs enqueued minus jobs processed since the processes started (estimated from producer and consumer spans).',
      [prom(`sum by (bullmq_queue_name, bullmq_job_state) (bullmq_queue_jobs{bullmq_job_state=~"waiting|active|delayed|prioritized"}) or on () label_replace(clamp_min(${produced} - ${consumed}, 0), "bullmq_job_state", "backlog (estimated)", "", "")`,
        { legend: '{{bullmq_queue_name}} {{bullmq_job_state}}' })], { unit: 'short', min: 0, span: 8 }),
    graph('Job duration p95', 'bullmq.job.duration per queue.',
      [prom(quantile(0.95, 'bullmq_queue_name', 'bullmq_job_duration_milliseconds_bucket', SVC), { legend: '{{bullmq_queue_name}}' })], { unit: 'ms', min: 0, span: 8 }),
    new RowBuilder('Service graph'),
    dependencyGraph('Service dependencies (Jaeger)', 'Who calls whom, from the traces in Jaeger.', [jaegerDependencyGraph()], { span: 12 }),
    mergedTable('Service graph edges', 'Calls per second, failures per second and server-side p95 per edge (Collector service_graph; PostgreSQL and Redis are virtual nodes).', [
      prom(`sum by (client, server) (rate(traces_service_graph_request_total[${RATE}]))`, { refId: 'A', table: true }),
      prom(orZero(`sum by (client, server) (rate(traces_service_graph_request_failed_total[${RATE}]))`, `sum by (client, server) (rate(traces_service_graph_request_total[${RATE}]))`), { refId: 'B', table: true }),
      prom(`histogram_quantile(0.95, sum by (client, server, le) (rate(traces_service_graph_request_server_seconds_bucket[${RATE}])))`, { refId: 'C', table: true }),
    ], { A: 'Calls/s', B: 'Failed/s', C: 'Server p95 (s)' }, { span: 12, height: 10 }),
  ];
}
