/**
 * The PromQL questions faultline asks, each built once from the names in metrics.ts and labels.ts: the
 * alert rules (grafana/src/rules/) take their expressions from here, and the dashboards and
 * `faultline incident` can ask the same questions with their own ranges (`$__rate_interval`, a
 * window in seconds). Every function returns an expression string; `range` is a PromQL duration
 * (`30s`, `1m`, `$__rate_interval`) and `offset`, when given, shifts the range back (`1m`).
 */
import { CONNECTION_STATE, L } from './labels.ts';
import { counterAnySuffix, M } from './metrics.ts';
import { bucket } from './naming.ts';
import { CLIENT, CONSUMER, eq, FAILED, HEALTH_ROUTES, ne, nre, PRODUCER, re, selector, SERVER } from './promql.ts';

/** Labels that name one process of a service (`service_name, instance`). */
export const INSTANCE_KEY = `${L.service}, ${L.instance}`;
/** Labels that name one connection pool (its process and `db_client_connection_pool_name`). */
export const POOL_KEY = `${INSTANCE_KEY}, ${L.poolName}`;
/** Labels that name one circuit breaker (its process and `circuit_breaker_name`). */
export const BREAKER_KEY = `${INSTANCE_KEY}, ${L.breakerName}`;

/** `[range]` or `[range] offset <offset>`. */
function window(range: string, offset?: string): string {
  return offset ? `[${range}] offset ${offset}` : `[${range}]`;
}

/** `sum by (<by>) (rate(<sel>[range] offset …))`; `by` empty → `sum(…)`. */
export function rateSum(by: string, sel: string, range: string, offset?: string): string {
  return `sum${by ? ` by (${by})` : ''} (rate(${sel}${window(range, offset)}))`;
}

/** `sum by (<by>) (increase(<sel>[range] offset …))`; `by` empty → `sum(…)`. */
export function increaseSum(by: string, sel: string, range: string, offset?: string): string {
  return `sum${by ? ` by (${by})` : ''} (increase(${sel}${window(range, offset)}))`;
}

/** The `q` quantile of histogram buckets `bucketSel` per `by` (`le` added), over `range`. */
export function quantileBy(q: number, by: string, bucketSel: string, range: string, offset?: string): string {
  return `histogram_quantile(${q}, sum by (${by ? `${by}, ` : ''}${L.le}) (rate(${bucketSel}${window(range, offset)})))`;
}

/** `expr`, or `anchor * 0` for the label sets `expr` lacks (a counter that exists only once things go wrong reads 0). */
export function orZero(expr: string, anchor: string): string {
  return `(${expr} or ${anchor} * 0)`;
}

// --- clients (server spans of the edge service: one per client request) ----------------------------

/** Selector of the edge service's server spans (optionally failed ones). */
export function edgeSpans(edge: string, failed = false): string {
  return selector(M.calls, eq(L.service, edge), SERVER, failed ? FAILED : undefined);
}

/** Requests/s per client at the edge. */
export function clientRequestRate(edge: string, range: string, offset?: string): string {
  return rateSum(L.clientId, edgeSpans(edge), range, offset);
}

/** Requests/s of all clients together at the edge (no labels). */
export function edgeRequestRate(edge: string, range: string, offset?: string): string {
  return rateSum('', edgeSpans(edge), range, offset);
}

/** Failed requests/s per client at the edge. */
export function clientErrorRate(edge: string, range: string, offset?: string): string {
  return rateSum(L.clientId, edgeSpans(edge, true), range, offset);
}

/** The `q` quantile of the edge's request duration per client, ms. */
export function clientLatency(q: number, edge: string, range: string, offset?: string): string {
  return quantileBy(q, L.clientId, selector(M.durationBucket, eq(L.service, edge), SERVER), range, offset);
}

/** Server requests/s per client and route, in every service (health checks and route-less spans left out). */
export function clientRouteRate(range: string, offset?: string): string {
  return rateSum(
    `${L.clientId}, ${L.httpRoute}`,
    selector(M.calls, SERVER, ne(L.clientId, ''), ne(L.httpRoute, ''), nre(L.httpRoute, HEALTH_ROUTES)),
    range,
    offset,
  );
}

/** Cache reads/s per service and client (`hit`: only hits, only misses, or both when omitted). */
export function clientCacheReads(range: string, hit?: boolean, offset?: string): string {
  const m = hit === undefined ? re(L.cacheHit, 'true|false') : eq(L.cacheHit, String(hit));
  return rateSum(`${L.service}, ${L.clientId}`, selector(M.calls, m), range, offset);
}

// --- processes behind a load balancer ---------------------------------------------------------------

/** Requests/s each process served (server spans, health checks left out), per service and instance. */
export function instanceRequestRate(range: string): string {
  return rateSum(INSTANCE_KEY, selector(M.calls, SERVER, nre(L.httpRoute, HEALTH_ROUTES)), range);
}

/** Health checks/s each process answered (`failed`: only those that failed), per service and instance. */
export function healthCheckRate(range: string, failed = false): string {
  return rateSum(INSTANCE_KEY, selector(M.calls, SERVER, re(L.httpRoute, HEALTH_ROUTES), failed ? FAILED : undefined), range);
}

// --- connection pools ---------------------------------------------------------------------------------

/** Connections in use per pool. */
export function poolUsed(): string {
  return `max by (${POOL_KEY}) (${selector(M.poolConnections, eq(L.connectionState, CONNECTION_STATE.used))})`;
}

/** Each pool's maximum. */
export function poolMax(): string {
  return `max by (${POOL_KEY}) (${M.poolMax})`;
}

/** Requests waiting for a connection, per pool. */
export function poolPending(): string {
  return `max by (${POOL_KEY}) (${M.poolPending})`;
}

/** The `q` quantile of the time to get a connection, s, per pool. */
export function poolWaitQuantile(q: number, range: string): string {
  return quantileBy(q, POOL_KEY, bucket(M.poolWait), range);
}

/** Requests that gave up waiting for a connection, per pool, over `range`. */
export function poolTimeouts(range: string): string {
  return increaseSum(POOL_KEY, counterAnySuffix(M.poolTimeouts), range);
}

// --- dependencies -------------------------------------------------------------------------------------

/** The highest circuit breaker state over `range` (0 closed, 1 half-open, 2 open), per breaker. */
export function breakerStateMax(range: string): string {
  return `max by (${BREAKER_KEY}) (max_over_time(${M.breakerState}[${range}]))`;
}

/** Circuit breaker `event`s/s (`open`, `timeout`, `reject`, …), per breaker. */
export function breakerEventRate(event: string, range: string): string {
  return rateSum(BREAKER_KEY, counterAnySuffix(M.breakerEvents, eq(L.breakerEvent, event)), range);
}

/** Retried outgoing calls/s (client spans with `http.request.resend_count`), per service. */
export function retryRate(range: string, offset?: string): string {
  return rateSum(L.service, selector(M.calls, CLIENT, ne(L.resendCount, '')), range, offset);
}

// --- background jobs ----------------------------------------------------------------------------------

/** Jobs enqueued/s (producer spans), all queues. */
export function jobsEnqueuedRate(range: string): string {
  return rateSum('', selector(M.calls, PRODUCER), range);
}

/** Jobs processed/s (consumer spans), all queues. */
export function jobsProcessedRate(range: string): string {
  return rateSum('', selector(M.calls, CONSUMER), range);
}

/** Failed jobs/s (consumer spans with an error status), per service and job span name. */
export function jobsFailedRate(range: string): string {
  return rateSum(`${L.service}, ${L.spanName}`, selector(M.calls, CONSUMER, FAILED), range);
}

// --- processes ----------------------------------------------------------------------------------------

/** V8 heap in use, bytes, per process. */
export function heapUsed(): string {
  return `max by (${INSTANCE_KEY}) (${M.heapUsed})`;
}

/**
 * Deploys: each (service, version) whose SDK start marker is here now but was not `within` ago, of a
 * service that was already running then (a first start is not a deploy). Value 1.
 */
export function recentDeploys(within: string): string {
  const versions = (sel: string) => `group by (${L.service}, ${L.serviceVersion}) (${sel})`;
  const then = `${M.processStart} offset ${within}`;
  return `(${versions(M.processStart)} unless on (${L.service}, ${L.serviceVersion}) ${versions(then)}) and on (${L.service}) group by (${L.service}) (${then})`;
}

// --- the telemetry itself -----------------------------------------------------------------------------

/** Spans/s each service sends (every kind), per service. */
export function serviceSpanRate(range: string, offset?: string): string {
  return rateSum(L.service, M.calls, range, offset);
}

/** Spans/s the Collector's receivers refused (memory_limiter back-pressure, bad auth), per receiver. */
export function collectorRefusedSpansRate(range: string): string {
  return rateSum(L.receiver, counterAnySuffix(M.collectorRefusedSpans), range);
}

/** Metric points/s the Collector's receivers refused, per receiver. */
export function collectorRefusedPointsRate(range: string): string {
  return rateSum(L.receiver, counterAnySuffix(M.collectorRefusedPoints), range);
}

/** Items/s the Collector's exporters failed to send (spans), per exporter. */
export function collectorExportFailedRate(range: string): string {
  return rateSum(L.exporter, counterAnySuffix(M.collectorFailedSpans), range);
}

/**
 * Traces/s tail sampling dropped undecided (never exported) because its buffer (`num_traces`) was full,
 * per Collector (`instance`: each gateway of the scale profile on its own).
 */
export function collectorTracesDroppedUndecidedRate(range: string): string {
  return rateSum(L.instance, counterAnySuffix(M.collectorTracesDroppedUndecided), range);
}

/**
 * Spans/s the service_graph connector dropped because its store of unpaired spans (`max_items`) was
 * full: their edges are missing from `traces_service_graph_*`; per Collector (`instance`).
 */
export function collectorServiceGraphDroppedRate(range: string): string {
  return rateSum(L.instance, counterAnySuffix(M.collectorServiceGraphDroppedSpans), range);
}

/** Spans/s each service's SDK dropped before export (its processor's count with `error.type`). */
export function sdkSpansDroppedRate(range: string): string {
  return rateSum(L.service, counterAnySuffix(M.sdkSpansProcessed, ne(L.errorType, '')), range);
}
