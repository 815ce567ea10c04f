/**
 * Every PromQL question `faultline incident` asks, by name. Metric and label names are those of the
 * Collector's span metrics (collector/README.md) and the preload's metrics (instrumentation/README.md).
 * Instant queries are evaluated at the window's end: `[W]` is the window, `[B] offset W` the baseline.
 */
import { rateSeconds, type Window } from './window.ts';

/** Span-metric call counter. */
export const CALLS = 'traces_span_metrics_calls_total';
/** Span-metric duration histogram buckets (ms). */
export const DURATION = 'traces_span_metrics_duration_milliseconds_bucket';
/** Routes treated as health checks. */
export const HEALTH_ROUTES = '/healthz|/health|/livez|/readyz|/ready';
/** Labels that name one connection pool. */
export const POOL_KEY = 'service_name, instance, db_client_connection_pool_name';
const ERROR = 'status_code="STATUS_CODE_ERROR"';

/** Names of the instant queries. */
export const INSTANT_NAMES = [
  'requests', 'requestsBase', 'errors', 'errorsBase', 'p95', 'p95Base', 'p95All', 'p95AllBase',
  'poolPending', 'poolUsed', 'poolMax', 'poolWaitP99', 'poolTimeouts', 'poolConnectsByClient',
  'healthChecks', 'healthFailed', 'breakerState', 'breakerEvents',
  'jobsAdded', 'jobsProcessed', 'jobsAddedBase', 'jobsProcessedBase', 'cacheReads', 'cacheReadsBase',
] as const;
/** Names of the range queries (baseline start to window end). */
export const RANGE_NAMES = ['clientRate', 'clientErrorRate', 'versions', 'poolPending', 'poolUsed', 'instanceRate', 'healthFailed', 'breakerState'] as const;

/** One instant query's name. */
export type InstantName = (typeof INSTANT_NAMES)[number];
/** One range query's name. */
export type RangeName = (typeof RANGE_NAMES)[number];

/** Selector of the edge's server spans: one per client request. */
export function edgeSelector(edge: string, extra = ''): string {
  return `{service_name="${edge}",span_kind="SPAN_KIND_SERVER"${extra ? `,${extra}` : ''}}`;
}

/** The instant queries for window `w` with `edge` counting client requests. */
export function instantQueries(w: Window, edge: string): Record<InstantName, string> {
  const W = `${w.seconds}s`;
  const B = `${w.baselineSeconds}s] offset ${w.seconds}s`;
  const both = (f: (range: string) => string) => [f(`${W}]`), f(B)] as const;
  const [requests, requestsBase] = both((r) => `sum by (client_id) (increase(${CALLS}${edgeSelector(edge)}[${r}))`);
  const [errors, errorsBase] = both((r) => `sum by (client_id) (increase(${CALLS}${edgeSelector(edge, ERROR)}[${r}))`);
  const [p95, p95Base] = both((r) => `histogram_quantile(0.95, sum by (client_id, le) (rate(${DURATION}${edgeSelector(edge)}[${r})))`);
  const [p95All, p95AllBase] = both((r) => `histogram_quantile(0.95, sum by (le) (rate(${DURATION}${edgeSelector(edge)}[${r})))`);
  const [jobsAdded, jobsAddedBase] = both((r) => `sum by (service_name, span_name) (increase(${CALLS}{span_kind="SPAN_KIND_PRODUCER"}[${r}))`);
  const [jobsProcessed, jobsProcessedBase] = both((r) => `sum by (service_name, span_name, status_code) (increase(${CALLS}{span_kind="SPAN_KIND_CONSUMER"}[${r}))`);
  // Only answers once the Collector's span metrics carry `cache.hit` as a dimension (see cli/README.md).
  const [cacheReads, cacheReadsBase] = both((r) => `sum by (client_id, cache_hit, span_name) (increase(${CALLS}{cache_hit!=""}[${r}))`);
  return {
    requests, requestsBase, errors, errorsBase, p95, p95Base, p95All, p95AllBase,
    poolPending: `max by (${POOL_KEY}) (max_over_time(db_client_connection_pending_requests[${W}]))`,
    poolUsed: `max by (${POOL_KEY}) (max_over_time(db_client_connection_count{db_client_connection_state="used"}[${W}]))`,
    poolMax: `max by (${POOL_KEY}) (max_over_time(db_client_connection_max[${W}]))`,
    poolWaitP99: `histogram_quantile(0.99, sum by (le, ${POOL_KEY}) (rate(db_client_connection_wait_time_seconds_bucket[${W}])))`,
    poolTimeouts: `sum by (${POOL_KEY}) (increase({__name__=~"db_client_connection_timeouts(_total)?"}[${W}]))`,
    poolConnectsByClient: `sum by (service_name, client_id) (increase(${CALLS}{span_name="pg-pool.connect"}[${W}]))`,
    healthChecks: `sum by (service_name, instance) (increase(${CALLS}{span_kind="SPAN_KIND_SERVER",http_route=~"${HEALTH_ROUTES}"}[${W}]))`,
    healthFailed: `sum by (service_name, instance) (increase(${CALLS}{span_kind="SPAN_KIND_SERVER",http_route=~"${HEALTH_ROUTES}",${ERROR}}[${W}]))`,
    breakerState: `max by (service_name, instance, circuit_breaker_name) (max_over_time(circuit_breaker_state[${W}]))`,
    breakerEvents: `sum by (service_name, instance, circuit_breaker_name, circuit_breaker_event) (increase({__name__=~"circuit_breaker_events(_total)?"}[${W}]))`,
    jobsAdded, jobsProcessed, jobsAddedBase, jobsProcessedBase, cacheReads, cacheReadsBase,
  };
}

/** The range queries for window `w` (evaluated from the baseline's start to the window's end). */
export function rangeQueries(w: Window, edge: string): Record<RangeName, string> {
  const R = `${rateSeconds(w)}s`;
  return {
    clientRate: `sum by (client_id) (rate(${CALLS}${edgeSelector(edge)}[${R}]))`,
    clientErrorRate: `sum by (client_id) (rate(${CALLS}${edgeSelector(edge, ERROR)}[${R}]))`,
    // A version is "there" while its target_info (SDK metrics) or span metrics are exported.
    versions: `group by (service_name, instance, service_version) (label_replace(target_info, "service_name", "$1", "job", "(.+)") or ${CALLS})`,
    poolPending: `max by (${POOL_KEY}) (db_client_connection_pending_requests)`,
    poolUsed: `max by (${POOL_KEY}) (db_client_connection_count{db_client_connection_state="used"})`,
    instanceRate: `sum by (service_name, instance) (rate(${CALLS}{span_kind="SPAN_KIND_SERVER",http_route!~"${HEALTH_ROUTES}"}[${R}]))`,
    healthFailed: `sum by (service_name, instance) (increase(${CALLS}{span_kind="SPAN_KIND_SERVER",http_route=~"${HEALTH_ROUTES}",${ERROR}}[${R}]))`,
    breakerState: `max by (service_name, instance, circuit_breaker_name) (circuit_breaker_state)`,
  };
}
