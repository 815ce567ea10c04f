/**
 * The log record processor that gives log lines the same two facts as spans: the calling client
 * (`client.id`) and the state of the process's connection pool at the moment of the log call
 * (`db.client.connection.pool.*`), under the same attribute names as on spans (semconv.ts).
 */
import { context as otelContext, type Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { clientIdOf } from '../spans/client-id.ts';
import type { PoolRegistry } from '../pools/registry.ts';
import { ATTR_CLIENT_ID } from '../semconv.ts';

/**
 * Stamps `client.id` (the `client.id` baggage entry of the log call's context, else `"unknown"`) and
 * the five `db.client.connection.pool.*` attributes of the registry's primary pool on every log record
 * as it is emitted (synchronously, inside the app's log call: the pool state is that of the moment).
 * Must come before the exporting processor. Never throws.
 */
export class StampingLogRecordProcessor implements LogRecordProcessor {
  readonly #pools: PoolRegistry;

  /** @param pools - the process's pool registry (may stay empty: then only `client.id` is stamped). */
  constructor(pools: PoolRegistry) {
    this.#pools = pools;
  }

  onEmit(record: ReadWriteLogRecord, ctx?: Context): void {
    try {
      record.setAttribute(ATTR_CLIENT_ID, clientIdOf(ctx ?? otelContext.active()));
      this.#pools.stamp(record);
    } catch {
      // A log record without our attributes is better than an exception in the app.
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
