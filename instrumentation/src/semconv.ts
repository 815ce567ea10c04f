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
