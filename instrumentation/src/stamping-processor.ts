/**
 * The span processor that makes faultline's two promises: every span carries `client.id`,
 * and every span of a process with a connection pool carries that pool's state at the
 * moment the span started.
 */
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { clientIdOf } from './client-id.ts';
import type { PoolRegistry } from './pool-registry.ts';
import { ATTR_CLIENT_ID } from './semconv.ts';

/**
 * Stamps `client.id` (from the `client.id` baggage entry of the span's parent context, else
 * `"unknown"`) and the `db.client.connection.pool.*` attributes of the registry's primary
 * pool on every span as it starts. Runs before the exporting processor; holds no state per
 * span and allocates nothing per span.
 */
export class StampingSpanProcessor implements SpanProcessor {
  readonly #pools: PoolRegistry;

  /** @param pools - the process's pool registry (may stay empty: then only `client.id` is stamped). */
  constructor(pools: PoolRegistry) {
    this.#pools = pools;
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      span.setAttribute(ATTR_CLIENT_ID, clientIdOf(parentContext));
      this.#pools.stamp(span);
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
