/**
 * The wait for a connection, the same for every pool library: `db.client.connection.wait_time`
 * (histogram, seconds) and `db.client.connection.timeouts` (counter), each with
 * `db.client.connection.pool.name` (https://opentelemetry.io/docs/specs/semconv/database/database-metrics/).
 * A discovery instrumentation makes one {@link PoolWaits} from its meter (in `_updateMetricInstruments`)
 * and calls {@link PoolWaits.record} when an acquire settles.
 */
import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import { ATTR_POOL_NAME, METRIC_CONNECTION_TIMEOUTS, METRIC_CONNECTION_WAIT_TIME } from '../semconv.ts';

/** Bucket boundaries of the wait histogram, seconds (0.5 ms to 10 s). */
export const WAIT_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A pool's metric attributes, made once per pool so that recording allocates nothing. */
export type PoolAttributes = { readonly [ATTR_POOL_NAME]: string };

const UNKNOWN_POOL: PoolAttributes = Object.freeze({ [ATTR_POOL_NAME]: 'unknown' });

/** The two wait instruments of one meter. */
export class PoolWaits {
  readonly #waitTime: Histogram;
  readonly #timeouts: Counter;

  /** @param meter - the discovery instrumentation's meter. */
  constructor(meter: Meter) {
    this.#waitTime = meter.createHistogram(METRIC_CONNECTION_WAIT_TIME, {
      description: 'The time it took to obtain an open connection from the pool.',
      unit: 's',
      advice: { explicitBucketBoundaries: WAIT_BUCKETS_S },
    });
    this.#timeouts = meter.createCounter(METRIC_CONNECTION_TIMEOUTS, {
      description: 'The number of connection timeouts that have occurred trying to obtain a connection from the pool.',
      unit: '{timeout}',
    });
  }

  /**
   * Records one acquire. Never throws.
   * @param attrs - the pool's attributes (from registration), `undefined` for a pool not registered.
   * @param startedMs - `performance.now()` when the acquire began.
   * @param timedOut - whether it failed because no connection came in time (the library's timeout error).
   */
  record(attrs: PoolAttributes | undefined, startedMs: number, timedOut: boolean): void {
    try {
      const a = attrs ?? UNKNOWN_POOL;
      this.#waitTime.record((performance.now() - startedMs) / 1000, a);
      if (timedOut) this.#timeouts.add(1, a);
    } catch {
      // never in the app's way
    }
  }
}
