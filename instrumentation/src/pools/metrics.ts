/**
 * Pool gauges for every discovered pool, under the semantic-convention names
 * (https://opentelemetry.io/docs/specs/semconv/database/database-metrics/#connection-pools):
 * `db.client.connection.count` (by `db.client.connection.state`), `db.client.connection.max`
 * and `db.client.connection.pending_requests`, each with `db.client.connection.pool.name`.
 *
 * These replace the `pg` instrumentation's own pool metrics, which are wrong when a process
 * has more than one pool (opentelemetry-js-contrib issue 3354); `export/sdk.ts` drops those by a View.
 */
import type { Meter } from '@opentelemetry/api';
import type { PoolRegistry } from './registry.ts';
import {
  ATTR_CONNECTION_STATE,
  ATTR_POOL_NAME,
  METRIC_CONNECTION_COUNT,
  METRIC_CONNECTION_MAX,
  METRIC_CONNECTION_PENDING,
} from '../semconv.ts';

/**
 * Registers the observable instruments on `meter`; they read `pools` at each collection.
 * @returns a function that removes the callback.
 */
export function registerPoolMetrics(meter: Meter, pools: PoolRegistry): () => void {
  const count = meter.createObservableUpDownCounter(METRIC_CONNECTION_COUNT, {
    description: 'The number of connections that are currently in the state described by the state attribute.',
    unit: '{connection}',
  });
  const max = meter.createObservableUpDownCounter(METRIC_CONNECTION_MAX, {
    description: 'The maximum number of open connections allowed.',
    unit: '{connection}',
  });
  const pending = meter.createObservableUpDownCounter(METRIC_CONNECTION_PENDING, {
    description: 'The number of current pending requests for an open connection.',
    unit: '{request}',
  });
  const callback = (result: import('@opentelemetry/api').BatchObservableResult) => {
    for (const s of pools.snapshots()) {
      result.observe(count, s.used, { [ATTR_POOL_NAME]: s.name, [ATTR_CONNECTION_STATE]: 'used' });
      result.observe(count, s.idle, { [ATTR_POOL_NAME]: s.name, [ATTR_CONNECTION_STATE]: 'idle' });
      result.observe(max, s.max, { [ATTR_POOL_NAME]: s.name });
      result.observe(pending, s.pending, { [ATTR_POOL_NAME]: s.name });
    }
  };
  meter.addBatchObservableCallback(callback, [count, max, pending]);
  return () => meter.removeBatchObservableCallback(callback, [count, max, pending]);
}
