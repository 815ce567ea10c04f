/**
 * Attribute, metric and baggage names used by faultline.
 *
 * Names follow the OpenTelemetry semantic conventions where one exists
 * (https://opentelemetry.io/docs/specs/semconv/). faultline's own additions are
 * few and marked "faultline addition"; nothing in the patching code spells a
 * name as a string literal.
 */

/**
 * The calling client (tenant, team, API consumer) a span was done for.
 * faultline addition; value is a sanitised string, `"unknown"` when no client is in context.
 * Stability: faultline stable.
 */
export const ATTR_CLIENT_ID = 'client.id';

/**
 * `true` on spans of a client beyond the process's first `FAULTLINE_METRICS_CLIENT_LIMIT` distinct
 * client IDs: the span keeps its real `client.id`, and the Collector counts it as `client.id="other"`
 * in span metrics (collector/config.yaml, `transform/client_id_overflow`), so one process cannot
 * grow the metrics by a series per client without bound. Absent on every other span.
 * faultline addition.
 */
export const ATTR_CLIENT_ID_OVERFLOW = 'faultline.client_id.overflow';

/**
 * Span attribute, boolean: `true` on the first trace root a process starts for a client in each
 * sampling-floor interval (60 s). The Collector's tail sampling keeps those traces (policy
 * `client-floor`), so a quiet client still has traces in Jaeger. Absent on every other span.
 * faultline addition.
 */
export const ATTR_SAMPLING_FLOOR = 'faultline.sampling.floor';

/**
 * Resource attribute: `true` on a service that runs as the edge (`FAULTLINE_EDGE`, the first service a
 * request from outside reaches: it takes the client ID from a header), `false` behind it. Readers
 * find the edge from it (the resource attributes Prometheus holds per SDK) instead of knowing its name.
 * faultline addition.
 */
export const ATTR_EDGE = 'faultline.edge';

/**
 * Resource attribute: the name of the distribution that set up the SDK, {@link DISTRO_NAME} on every
 * process the preload starts. Semantic conventions: `telemetry.distro.name` (development),
 * https://opentelemetry.io/docs/specs/semconv/resource/#telemetry-distribution-experimental
 */
export const ATTR_TELEMETRY_DISTRO_NAME = 'telemetry.distro.name';

/**
 * Resource attribute: the version of that distribution, the `@faultline/instrumentation` package
 * version (semver, e.g. `0.2.0`). Semantic conventions: `telemetry.distro.version` (development).
 */
export const ATTR_TELEMETRY_DISTRO_VERSION = 'telemetry.distro.version';

/** Value of {@link ATTR_TELEMETRY_DISTRO_NAME}. */
export const DISTRO_NAME = 'faultline';

/**
 * Resource attribute: when the process started, ISO 8601 (semantic conventions `process.creation.time`,
 * development). The Collector's tail sampling keeps every trace of a process's first minutes (a deploy,
 * a restart) by it.
 */
export const ATTR_PROCESS_CREATION_TIME = 'process.creation.time';

/** Value of {@link ATTR_CLIENT_ID} when no client ID is in context. */
export const CLIENT_ID_UNKNOWN = 'unknown';

/**
 * W3C Baggage key that carries the client ID between services.
 * Same spelling as the span attribute. faultline addition.
 */
export const BAGGAGE_CLIENT_ID = 'client.id';

/**
 * Name of a database connection pool, as `host:port/database`.
 * Semantic conventions: `db.client.connection.pool.name` (development).
 */
export const ATTR_POOL_NAME = 'db.client.connection.pool.name';

/**
 * Connections of the pool checked out by the application when the span started.
 * faultline addition (span-level snapshot of `db.client.connection.count{state=used}`).
 */
export const ATTR_POOL_USED = 'db.client.connection.pool.used';

/**
 * Open but idle connections of the pool when the span started.
 * faultline addition (span-level snapshot of `db.client.connection.count{state=idle}`).
 */
export const ATTR_POOL_IDLE = 'db.client.connection.pool.idle';

/**
 * Maximum connections the pool allows. faultline addition (span-level snapshot of
 * `db.client.connection.max`).
 */
export const ATTR_POOL_MAX = 'db.client.connection.pool.max';

/**
 * Requests waiting for a connection from the pool when the span started.
 * faultline addition (span-level snapshot of `db.client.connection.pending_requests`).
 */
export const ATTR_POOL_PENDING = 'db.client.connection.pool.pending_requests';

export {
  ATTR_DB_NAMESPACE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';

/**
 * Metric: connections per state. UpDownCounter, unit `{connection}`, attributes
 * `db.client.connection.state` (`idle`|`used`) and `db.client.connection.pool.name`.
 * Semantic conventions: `db.client.connection.count` (development).
 */
export const METRIC_CONNECTION_COUNT = 'db.client.connection.count';

/** Metric: maximum open connections allowed. Semantic conventions: `db.client.connection.max`. */
export const METRIC_CONNECTION_MAX = 'db.client.connection.max';

/**
 * Metric: pending requests for an open connection.
 * Semantic conventions: `db.client.connection.pending_requests`.
 */
export const METRIC_CONNECTION_PENDING = 'db.client.connection.pending_requests';

/** Metric attribute: connection state. Semantic conventions: `db.client.connection.state`. */
export const ATTR_CONNECTION_STATE = 'db.client.connection.state';

/**
 * Metric: time it took to obtain an open connection from the pool. Histogram, unit `s`,
 * attribute `db.client.connection.pool.name`.
 * Semantic conventions: `db.client.connection.wait_time` (development).
 */
export const METRIC_CONNECTION_WAIT_TIME = 'db.client.connection.wait_time';

/**
 * Span attribute: how long the query's connection took to obtain from the pool, seconds (double).
 * Set on the database span that used the connection (pg-pool's `query()`); faultline addition, named
 * after the semantic conventions' metric it mirrors (`db.client.connection.wait_time`, whose histogram
 * faultline records for every acquire). The acquire is a span of its own (`pg-pool.connect`) only when it
 * waited `FAULTLINE_POOL_CONNECT_SPAN_MIN_MS` or more, or failed.
 */
export const ATTR_CONNECTION_WAIT_TIME = 'db.client.connection.wait_time';

/**
 * Metric: connection timeouts (a request gave up waiting for a pooled connection). Counter,
 * unit `{timeout}`, attribute `db.client.connection.pool.name`.
 * Semantic conventions: `db.client.connection.timeouts` (development).
 */
export const METRIC_CONNECTION_TIMEOUTS = 'db.client.connection.timeouts';

/**
 * Whether a cache read found its key. Boolean, on every Redis read command span (`GET`, `MGET`,
 * `HGET`, `HGETALL`, …): `true` when the reply holds a value. faultline addition.
 */
export const ATTR_CACHE_HIT = 'cache.hit';

/**
 * The ordinal number of a resent request (1 for the first retry). On HTTP client spans whose
 * method and URL repeat an earlier client span under the same parent span.
 * Semantic conventions: `http.request.resend_count` (stable).
 */
export const ATTR_RESEND_COUNT = 'http.request.resend_count';

/**
 * Time a request waited between reaching the edge (load balancer) and reaching this server, in
 * seconds, from the `x-request-start` header (New Relic's convention: `t=<µs|ms|s since epoch>`).
 * On HTTP server spans and as a histogram of the same name (unit `s`). faultline addition,
 * modelled on `http.server.request.duration`.
 */
export const ATTR_QUEUE_TIME = 'http.server.request.queue_time';

/** Name of a circuit breaker (opossum's `name` option). faultline addition. */
export const ATTR_BREAKER_NAME = 'circuit_breaker.name';

/** State of a circuit breaker: `closed`, `open` or `half_open`. faultline addition. */
export const ATTR_BREAKER_STATE = 'circuit_breaker.state';

/**
 * Metric: circuit breaker state as a number (0 closed, 1 half_open, 2 open). Gauge, attribute
 * `circuit_breaker.name`. faultline addition.
 */
export const METRIC_BREAKER_STATE = 'circuit_breaker.state';

/**
 * Metric: circuit breaker events. Counter, attributes `circuit_breaker.name` and
 * `circuit_breaker.event` (`open`, `half_open`, `close`, `reject`, `timeout`, `failure`). faultline addition.
 */
export const METRIC_BREAKER_EVENTS = 'circuit_breaker.events';

/** Attribute of {@link METRIC_BREAKER_EVENTS}: which event. faultline addition. */
export const ATTR_BREAKER_EVENT = 'circuit_breaker.event';

/** Span event name for a circuit breaker state change or rejection. faultline addition. */
export const EVENT_BREAKER = 'circuit_breaker';

/**
 * `error.type` (semantic conventions, stable: a low-cardinality class of the error an operation ended
 * with). The pg and ioredis instrumentations set only the span status and an exception event; faultline
 * fills it in (spans/error-type.ts).
 */
export const ATTR_ERROR_TYPE = 'error.type';

/**
 * `error.type` values for the client timeouts of the libraries the preload instruments, which throw a
 * plain `Error` (no code): the wait for a pool connection (pg-pool `connectionTimeoutMillis`), a
 * connection attempt (pg `connectionTimeoutMillis`), a query's client-side deadline (pg `query_timeout`),
 * PostgreSQL's `statement_timeout` (SQLSTATE 57014), an ioredis `commandTimeout`. faultline additions.
 */
export const ERROR_TYPE_TIMEOUTS = {
  poolAcquire: 'pg.pool.acquire_timeout',
  connect: 'pg.connect_timeout',
  query: 'pg.query_timeout',
  statement: 'pg.statement_timeout',
  redisCommand: 'redis.command_timeout',
} as const;
