/**
 * Finds every `pg.Pool` (and bare `pg-pool` Pool) the app creates, with no code change.
 *
 * `pg` builds its `Pool` as `class BoundPool extends require('pg-pool')`; faultline replaces
 * the `pg-pool` export with a subclass whose constructor registers the new pool in the
 * {@link PoolRegistry}. `instanceof`, static members and every method are the original's;
 * the OpenTelemetry `pg` instrumentation still wraps `connect` (the `pg-pool.connect` span).
 *
 * The subclass also times every `connect()` (which `query()` uses too): the wait for a connection
 * goes to the `db.client.connection.wait_time` histogram (seconds) and pg-pool's "timeout exceeded
 * when trying to connect" errors to the `db.client.connection.timeouts` counter, both per pool name.
 *
 * `disable()` puts the original class back into an ESM namespace; a subclass CommonJS already handed
 * out (pg's own `require('pg-pool')`) then registers and times nothing, exactly like the original.
 */
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
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

  /** @param registry - where discovered pools go. */
  constructor(registry: PoolRegistry) {
    super('@faultline/pg-pool-discovery', VERSION, {});
    this.#registry = registry;
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
    const on = () => this.isEnabled();
    const record = (pool: object, t0: number, err: unknown) => this.#recordWait(pool, t0, err);
    return class extends Original {
      constructor(...args: any[]) {
        super(...args);
        if (!on()) return;
        try {
          attrs.set(this, Object.freeze({ [ATTR_POOL_NAME]: registry.add(this, pgPoolAdapter) }));
        } catch (err) {
          warnOnce('pool:add', `could not track a pg pool (${(err as Error)?.message}); its stats will be missing.`);
        }
      }

      override connect(cb?: Callback): unknown {
        if (!on()) return super.connect(cb);
        const t0 = performance.now();
        if (typeof cb === 'function') {
          return super.connect((err, client, release) => {
            record(this, t0, err);
            cb(err, client, release);
          });
        }
        const result = super.connect();
        if (result instanceof Promise)
          result.then(
            () => record(this, t0, undefined),
            (err: unknown) => record(this, t0, err),
          );
        return result;
      }
    };
  }
}
