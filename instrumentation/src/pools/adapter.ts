/**
 * The one interface between the {@link PoolRegistry} and a pool library (pg-pool, tarn for knex,
 * generic-pool, …). An adapter says how to read a pool of its library; the library's discovery
 * instrumentation hands each pool it finds at construction to `registry.add(pool, adapter)`, and the
 * registry does the rest (names, the primary pool, span attributes, gauges) the same way for all.
 *
 * Every method is called on the hot path (once per span started) and must be cheap, allocation-free
 * and must not throw for a live pool. Counts are connections (or waiting requests), as in the
 * semantic conventions' connection-pool metrics
 * (https://opentelemetry.io/docs/specs/semconv/database/database-metrics/#connection-pools).
 */
export interface PoolAdapter<P extends object = object> {
  /**
   * The pool's `db.client.connection.pool.name` before de-duplication: `host:port/database` where the
   * library knows where it connects, else the library's name (e.g. `generic-pool`). Called once, at
   * registration; the registry appends `#2`, `#3` when two pools get the same name.
   */
  name(pool: P): string;
  /** Connections checked out by the app (`db.client.connection.pool.used`). */
  used(pool: P): number;
  /** Open connections not checked out (`db.client.connection.pool.idle`). */
  idle(pool: P): number;
  /** The most connections the pool opens (`db.client.connection.pool.max`), the library's default when unset. */
  max(pool: P): number;
  /** Requests waiting for a connection (`db.client.connection.pool.pending_requests`). */
  pending(pool: P): number;
  /** Whether the pool was closed by the app: an ended pool is forgotten. */
  ended(pool: P): boolean;
}
