/**
 * Finds every `pg.Pool` (and bare `pg-pool` Pool) the app creates, with no code change.
 *
 * `pg` builds its `Pool` as `class BoundPool extends require('pg-pool')`; faultline replaces
 * the `pg-pool` export with a subclass whose constructor registers the new pool in the
 * {@link PoolRegistry}. `instanceof`, static members and every method are the original's;
 * the OpenTelemetry `pg` instrumentation still wraps `connect` and `query`.
 *
 * The subclass also times every `connect()` (which `query()` uses too): the wait for a connection
 * goes to the `db.client.connection.wait_time` histogram (seconds) and pg-pool's "timeout exceeded
 * when trying to connect" errors to the `db.client.connection.timeouts` counter, both per pool name. An
 * acquire that waited `FAULTLINE_POOL_CONNECT_SPAN_MIN_MS` or more, or failed, becomes a `pg-pool.connect`
 * span ({@link ConnectSpans}; the `pg` instrumentation's own connect spans are off then), and the query run
 * in the acquire's callback carries its wait (`db.client.connection.wait_time`, seconds).
 *
 * `disable()` puts the original class back into an ESM namespace; a subclass CommonJS already handed
 * out (pg's own `require('pg-pool')`) then registers and times nothing, exactly like the original.
 */
import { context, type Attributes } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { DEFAULTS } from '../config.ts';
import { ConnectSpans, connectAttributesOf } from '../pools/connect-span.ts';
import type { PoolRegistry } from '../pools/registry.ts';
import { pgPoolAdapter, type PgPoolLike } from '../pools/pg-pool.ts';
import { PoolWaits, type PoolAttributes } from '../pools/waits.ts';
import { ATTR_POOL_NAME } from '../semconv.ts';
import { VERSION } from '../version.ts';
import { replaceClassExport, Subclasses } from './module-exports.ts';
import { warnOnce } from '../warn.ts';

/** pg-pool versions whose `totalCount`/`idleCount`/`waitingCount`/`options` faultline reads. */
export const SUPPORTED_PG_POOL = ['>=2.0.0 <4'];

type Callback = (err: Error | undefined, client?: unknown, release?: unknown) => void;
type PoolInstance = PgPoolLike & { connect(cb?: Callback): unknown };
type PoolClass = new (...args: any[]) => PoolInstance;

const TIMEOUT_MESSAGE = /timeout exceeded when trying to connect/i;
const NO_ATTRS: Attributes = Object.freeze({});

/**
 * An OpenTelemetry instrumentation (require-in-the-middle / import-in-the-middle hooks)
 * that registers pools in `registry` as they are constructed. Instrumentation scope
 * `@faultline/pg-pool-discovery`; enabled on construction, like every OpenTelemetry instrumentation.
 */
export class PgPoolDiscovery extends InstrumentationBase {
  readonly #registry: PoolRegistry;
  /** Each pool's metric attributes, made once (recording allocates nothing per connect). */
  readonly #attrs = new WeakMap<object, PoolAttributes>();
  readonly #subclasses = new Subclasses();
  // Set by the base constructor (through _updateMetricInstruments) before field initialisers run,
  // hence `declare` (no initialiser that would overwrite them).
  declare private waits: PoolWaits | undefined;

  /** Each pool's connect-span attributes ({@link connectAttributesOf}), made once. */
  readonly #spanAttrs = new WeakMap<object, Attributes>();
  readonly #spans: ConnectSpans;

  /**
   * @param registry - where discovered pools go.
   * @param connectSpanMinMs - `FAULTLINE_POOL_CONNECT_SPAN_MIN_MS` (default 1): the acquires that become
   *   `pg-pool.connect` spans ({@link ConnectSpans}); `0` leaves every one to the `pg` instrumentation.
   */
  constructor(registry: PoolRegistry, connectSpanMinMs: number = DEFAULTS.poolConnectSpanMinMs) {
    super('@faultline/pg-pool-discovery', VERSION, {});
    this.#registry = registry;
    this.#spans = new ConnectSpans(() => this.tracer, connectSpanMinMs);
  }

  protected override _updateMetricInstruments(): void {
    this.waits = new PoolWaits(this.meter);
  }

  #recordWait(pool: object, startedMs: number, err: unknown): void {
    this.waits?.record(this.#attrs.get(pool), startedMs, err instanceof Error && TIMEOUT_MESSAGE.test(err.message));
  }

  protected override init() {
    return [
      new InstrumentationNodeModuleDefinition(
        'pg-pool',
        SUPPORTED_PG_POOL,
        (exports: unknown) =>
          replaceClassExport(exports, (cls) => this.#subclasses.of(cls as PoolClass, (Original) => this.#discovering(Original))),
        (exports: unknown) => replaceClassExport(exports, Subclasses.originalOf),
      ),
    ];
  }

  #discovering(Original: PoolClass): PoolClass {
    const registry = this.#registry;
    const attrs = this.#attrs;
    const spanAttrs = this.#spanAttrs;
    const spans = this.#spans;
    const on = () => this.isEnabled();
    const record = (pool: object, t0: number, err: unknown) => this.#recordWait(pool, t0, err);
    return class extends Original {
      constructor(...args: any[]) {
        super(...args);
        if (!on()) return;
        try {
          const name = registry.add(this, pgPoolAdapter);
          attrs.set(this, Object.freeze({ [ATTR_POOL_NAME]: name }));
          spanAttrs.set(this, connectAttributesOf(this, name));
        } catch (err) {
          warnOnce('pool:add', `could not track a pg pool (${(err as Error)?.message}); its stats will be missing.`);
        }
      }

      override connect(cb?: Callback): unknown {
        if (!on()) return super.connect(cb);
        const a = spans.begin(this);
        const settle = (err: unknown): number => {
          const waited = performance.now() - a.t0;
          record(this, a.t0, err);
          spans.end(a, this, spanAttrs.get(this) ?? NO_ATTRS, waited, err ?? undefined);
          return waited;
        };
        if (typeof cb === 'function') {
          return super.connect((err, client, release) => {
            const waited = settle(err);
            // Bound to the caller's context (a released connection hands over in the releaser's), holding the
            // wait for the query this callback runs (pg-pool's query()).
            if (!spans.enabled) return cb(err, client, release);
            context.with(spans.callbackContext(a, waited), cb, undefined, err, client, release);
          });
        }
        const result = super.connect();
        if (result instanceof Promise)
          result.then(
            () => settle(undefined),
            (err: unknown) => settle(err),
          );
        return result;
      }
    };
  }
}
