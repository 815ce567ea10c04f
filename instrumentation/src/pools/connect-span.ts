/**
 * The `pg-pool.connect` span, made only for an acquire that waited or failed.
 *
 * `@opentelemetry/instrumentation-pg` makes a span of every `pool.connect()` (`ignoreConnectSpans` off),
 * about a fifth of the spans of a request that runs one query, and on a pool with idle connections it
 * lasts microseconds and says nothing. faultline turns that off and makes the span itself once the
 * acquire has settled, when it waited at least the threshold or failed: same name, kind and connection
 * attributes as the `pg` instrumentation's, started when the acquire began (under the span active then),
 * with the pool's state read at that moment, and the error (status, exception event; `error.type` comes
 * from the error-type processor) when it failed. The pool-exhaustion evidence (waits at used == max with
 * requests pending) is therefore unchanged, and a quiet pool costs no span.
 */
import { context, SpanKind, SpanStatusCode, type Attributes, type Context, type Tracer } from '@opentelemetry/api';
import { pgPoolAdapter, type PgPoolLike } from './pg-pool.ts';
import { withAcquireWait } from './acquire-wait.ts';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_POOL_IDLE,
  ATTR_POOL_MAX,
  ATTR_POOL_NAME,
  ATTR_POOL_PENDING,
  ATTR_POOL_USED,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '../semconv.ts';

/** Span name of a wait for a pooled connection, as `@opentelemetry/instrumentation-pg` names it. */
export const POOL_CONNECT_SPAN = 'pg-pool.connect';

/** One acquire in progress: when it began, under which context, and the pool's state then. */
export interface Acquire {
  /** `performance.now()` at the call, milliseconds. */
  readonly t0: number;
  /** The context active at the call: the span's parent and the callback's context. */
  readonly parent: Context;
  readonly used: number;
  readonly idle: number;
  readonly pending: number;
}

/**
 * The connection attributes of a pool's connect span (`db.system.name`, `db.namespace`,
 * `server.address`, `server.port`, `db.client.connection.pool.name`), read once per pool from its options the
 * way `@opentelemetry/instrumentation-pg` reads them (a `connectionString` wins over `host`/`port`/`database`).
 */
export function connectAttributesOf(pool: PgPoolLike, poolName: string): Attributes {
  const o = pool.options ?? {};
  let url: URL | undefined;
  try {
    url = o.connectionString ? new URL(o.connectionString) : undefined;
  } catch {
    url = undefined;
  }
  const port = Number(url?.port || o.port);
  return Object.freeze({
    [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
    [ATTR_DB_NAMESPACE]: url ? decodeURIComponent(url.pathname.slice(1)) : o.database,
    [ATTR_SERVER_ADDRESS]: url?.hostname || o.host,
    [ATTR_SERVER_PORT]: Number.isFinite(port) && port > 0 ? port : undefined,
    [ATTR_POOL_NAME]: poolName,
  });
}

/** Makes the connect spans of one instrumentation. */
export class ConnectSpans {
  readonly #tracer: () => Tracer;
  readonly #minMs: number;

  /**
   * @param tracer - the instrumentation's tracer (read at each span: the SDK may set it after construction).
   * @param minMs - `FAULTLINE_POOL_CONNECT_SPAN_MIN_MS`: an acquire shorter than this that succeeded makes
   *   no span. `0`: this class makes none at all (the `pg` instrumentation makes every one).
   */
  constructor(tracer: () => Tracer, minMs: number) {
    this.#tracer = tracer;
    this.#minMs = minMs;
  }

  /** Whether faultline makes the connect spans (threshold above 0). */
  get enabled(): boolean {
    return this.#minMs > 0;
  }

  /** Notes an acquire beginning on `pool`. Never throws. */
  begin(pool: PgPoolLike): Acquire {
    const parent = context.active();
    try {
      return { t0: performance.now(), parent, used: pgPoolAdapter.used(pool), idle: pool.idleCount, pending: pool.waitingCount };
    } catch {
      return { t0: performance.now(), parent, used: NaN, idle: NaN, pending: NaN };
    }
  }

  /**
   * The context the acquire's callback should run in: the caller's, holding the wait for the query.
   * @param waitedMs - the acquire's wait, milliseconds.
   */
  callbackContext(a: Acquire, waitedMs: number): Context {
    return withAcquireWait(a.parent, waitedMs / 1000);
  }

  /**
   * Ends an acquire: makes its span when it waited `minMs` or more or failed. Never throws.
   * @param attrs - the pool's {@link connectAttributesOf}.
   * @param waitedMs - milliseconds since `a.t0`.
   * @param err - the acquire's error, `undefined` when it got a connection.
   */
  end(a: Acquire, pool: PgPoolLike, attrs: Attributes, waitedMs: number, err: unknown): void {
    if (!this.enabled || (err === undefined && waitedMs < this.#minMs)) return;
    try {
      const span = this.#tracer().startSpan(
        POOL_CONNECT_SPAN,
        // performance.now() values: the SDK reads a number not above performance.now() as one, on its own clock.
        { kind: SpanKind.CLIENT, startTime: a.t0, attributes: attrs },
        a.parent,
      );
      // The stamping processor put the state at the span's creation (after the wait); the wait's start is the evidence.
      span.setAttribute(ATTR_POOL_NAME, attrs[ATTR_POOL_NAME] as string);
      if (!Number.isNaN(a.used)) {
        span.setAttribute(ATTR_POOL_USED, a.used);
        span.setAttribute(ATTR_POOL_IDLE, a.idle);
        span.setAttribute(ATTR_POOL_PENDING, a.pending);
        span.setAttribute(ATTR_POOL_MAX, pgPoolAdapter.max(pool));
      }
      if (err !== undefined) {
        const e = err instanceof Error ? err : new Error(String(err));
        span.recordException(e);
        span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
      }
      span.end(a.t0 + waitedMs);
    } catch {
      // never in the app's way
    }
  }
}
