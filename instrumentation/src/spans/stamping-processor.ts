/**
 * The span processor that makes faultline's two promises: every span carries `client.id`,
 * and every span of a process with a connection pool carries that pool's state at the
 * moment the span started.
 */
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { clientIdOf } from './client-id.ts';
import { stampAcquireWait } from '../pools/acquire-wait.ts';
import { DEFAULTS } from '../config.ts';
import type { PoolRegistry } from '../pools/registry.ts';
import { ATTR_CLIENT_ID, ATTR_CLIENT_ID_OVERFLOW } from '../semconv.ts';

/**
 * Stamps `client.id` (from the `client.id` baggage entry of the span's parent context, else
 * `"unknown"`) and the `db.client.connection.pool.*` attributes of the registry's primary
 * pool on every span as it starts. Spans of clients beyond the first `clientLimit` distinct
 * client IDs this process has seen also get `faultline.client_id.overflow=true` (metrics count
 * them as `client.id="other"`; the span keeps the real ID). Runs before the exporting processor;
 * holds no state per span and allocates nothing per span (the set of known IDs is bounded by
 * `clientLimit`). A database span started in a pool acquire's callback also gets the acquire's wait
 * (`db.client.connection.wait_time`, seconds; see `pools/acquire-wait.ts`).
 */
export class StampingSpanProcessor implements SpanProcessor {
  readonly #pools: PoolRegistry;
  readonly #clientLimit: number;
  readonly #clients = new Set<string>();

  /**
   * @param pools - the process's pool registry (may stay empty: then only `client.id` is stamped).
   * @param clientLimit - distinct client IDs that keep their own span-metrics series, ≥ 1.
   *   Default `DEFAULTS.metricsClientLimit` (200, `FAULTLINE_METRICS_CLIENT_LIMIT`).
   */
  constructor(pools: PoolRegistry, clientLimit: number = DEFAULTS.metricsClientLimit) {
    this.#pools = pools;
    this.#clientLimit = clientLimit;
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      const id = clientIdOf(parentContext);
      span.setAttribute(ATTR_CLIENT_ID, id);
      if (!this.#clients.has(id)) {
        if (this.#clients.size < this.#clientLimit) this.#clients.add(id);
        else span.setAttribute(ATTR_CLIENT_ID_OVERFLOW, true);
      }
      this.#pools.stamp(span);
      stampAcquireWait(span, parentContext);
    } catch {
      // A span without our attributes is better than an exception in the app.
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
