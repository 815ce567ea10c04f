/**
 * The Incident overview's lower half: queueing at the edge, the external dependency (errors, timeouts,
 * retries, circuit breakers), the cache, background jobs and the service graph.
 */
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import { RowBuilder, type Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { breakerStates, dependencyGraph, graph, mergedTable } from './panels.ts';
import { CALLS, orZero, quantile, RATE, rateBy, ratio } from './promql.ts';
import { jaegerDependencyGraph, prom } from './queries.ts';
import { bucket, CLIENT, CONSUMER, eq, L, M, ne, PRODUCER, re, selector } from '@faultline/signals';

/** `{{label}}` legends. */
const lg = (label: string) => `{{${label}}}`;

const SVC = re(L.service, '$service');
const GRAPH = [re(L.graphClient, '$service'), eq(L.graphServer, '$dependency')].join(',');
const BREAKER = `max by (${L.service}, ${L.instance}, ${L.breakerName}) (${selector(M.breakerState, SVC)})`;
const EDGE = `${L.graphClient}, ${L.graphServer}`;

/** Rows and panels, in order. */
export function dependencyPanels(): (RowBuilder | Builder<Panel>)[] {
  const sent = rateBy(L.graphClient, M.graphRequests, GRAPH);
  const clientSpans = rateBy(L.service, CALLS, `${SVC},${CLIENT}`);
  const jobsDone = rateBy(L.queueName, M.jobsCompleted, SVC);
  const cacheReads = rateBy(L.service, CALLS, `${SVC},${re(L.cacheHit, 'true|false')}`);
  const produced = `sum(${selector(CALLS, PRODUCER)})`;
  const consumed = `sum(${selector(CALLS, CONSUMER)})`;
  return [
    new RowBuilder('Edge and external dependency'),
    graph(
      'Request queue time p95 (lb → backend)',
      'Time from the lb stamping x-request-start to the backend handling the request (http.server.request.queue_time).',
      [prom(quantile(0.95, `${L.service}, ${L.instance}`, bucket(M.queueTime), SVC), { legend: lg(L.instance) })],
      { unit: 's', min: 0, span: 8 },
    ),
    graph(
      'Calls to $dependency: failed, timeouts, retries',
      'Failed calls (service graph), breaker timeouts and HTTP retries (http.request.resend_count) per second; 0 while all is well.',
      [
        prom(orZero(rateBy(L.graphClient, M.graphFailed, GRAPH), sent), { refId: 'A', legend: `${lg(L.graphClient)} failed` }),
        prom(
          orZero(
            `sum by (${L.service}) (rate(${selector(M.breakerEvents, SVC, eq(L.breakerEvent, 'timeout'))}[${RATE}]))`,
            `sum by (${L.service}) (${BREAKER})`,
          ),
          { refId: 'B', legend: `${lg(L.service)} timeouts` },
        ),
        prom(orZero(rateBy(L.service, CALLS, `${SVC},${CLIENT},${ne(L.resendCount, '')}`), clientSpans), {
          refId: 'C',
          legend: `${lg(L.service)} retries`,
        }),
      ],
      { unit: 'reqps', min: 0, span: 8 },
    ),
    breakerStates(
      'Circuit breaker state',
      'circuit_breaker.state per process: closed, half-open, open.',
      [prom(BREAKER, { legend: `${lg(L.instance)} ${lg(L.breakerName)}` })],
      { span: 8 },
    ),
    graph(
      'Circuit breaker events/s',
      'circuit_breaker.events by event (open, halfOpen, close, reject, timeout, failure, ...); 0 while none happened.',
      [
        prom(
          orZero(
            `sum by (${L.service}, ${L.breakerName}, ${L.breakerEvent}) (rate(${selector(M.breakerEvents, SVC)}[${RATE}]))`,
            `sum by (${L.service}, ${L.breakerName}) (${BREAKER})`,
          ),
          { legend: `${lg(L.service)} ${lg(L.breakerName)} ${lg(L.breakerEvent)}` },
        ),
      ],
      { unit: 'short', min: 0, span: 12 },
    ),
    graph(
      'Cache hit ratio',
      'Redis reads that found a value (span attribute cache.hit, a span-metric dimension).',
      [prom(ratio(rateBy(L.service, CALLS, `${SVC},${eq(L.cacheHit, 'true')}`), cacheReads), { legend: lg(L.service) })],
      { unit: 'percentunit', min: 0, max: 1, span: 12 },
    ),
    new RowBuilder('Background jobs'),
    graph(
      'Jobs enqueued, completed, failed /s',
      "Producer spans (enqueued) and BullMQ's own counters (completed, failed).",
      [
        prom(rateBy(L.service, CALLS, `${SVC},${PRODUCER}`), { refId: 'A', legend: `${lg(L.service)} enqueued` }),
        prom(jobsDone, { refId: 'B', legend: `${lg(L.queueName)} completed` }),
        prom(orZero(rateBy(L.queueName, M.jobsFailed, SVC), jobsDone), { refId: 'C', legend: `${lg(L.queueName)} failed` }),
      ],
      { unit: 'short', min: 0, span: 8 },
    ),
    graph(
      'Job queue depth',
      'bullmq.queue.jobs by state when the app records it; otherwise jobs enqueued minus jobs processed since the processes started (estimated from producer and consumer spans).',
      [
        prom(
          `sum by (${L.queueName}, ${L.jobState}) (${selector(M.queueJobs, re(L.jobState, 'waiting|active|delayed|prioritized'))}) or on () label_replace(clamp_min(${produced} - ${consumed}, 0), "${L.jobState}", "backlog (estimated)", "", "")`,
          { legend: `${lg(L.queueName)} ${lg(L.jobState)}` },
        ),
      ],
      { unit: 'short', min: 0, span: 8 },
    ),
    graph(
      'Job duration p95',
      'bullmq.job.duration per queue.',
      [prom(quantile(0.95, L.queueName, bucket(M.jobDuration), SVC), { legend: lg(L.queueName) })],
      { unit: 'ms', min: 0, span: 8 },
    ),
    new RowBuilder('Service graph'),
    dependencyGraph('Service dependencies (Jaeger)', 'Who calls whom, from the traces in Jaeger.', [jaegerDependencyGraph()], { span: 12 }),
    mergedTable(
      'Service graph edges',
      'Calls per second, failures per second and server-side p95 per edge (Collector service_graph; PostgreSQL and Redis are virtual nodes).',
      [
        prom(`sum by (${EDGE}) (rate(${M.graphRequests}[${RATE}]))`, { refId: 'A', table: true }),
        prom(orZero(`sum by (${EDGE}) (rate(${M.graphFailed}[${RATE}]))`, `sum by (${EDGE}) (rate(${M.graphRequests}[${RATE}]))`), {
          refId: 'B',
          table: true,
        }),
        prom(`histogram_quantile(0.95, sum by (${EDGE}, ${L.le}) (rate(${bucket(M.graphServerDuration)}[${RATE}])))`, {
          refId: 'C',
          table: true,
        }),
      ],
      { A: 'Calls/s', B: 'Failed/s', C: 'Server p95 (s)' },
      { span: 12, height: 10 },
    ),
  ];
}
