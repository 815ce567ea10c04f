/**
 * Finds every mysql2 pool the app creates (`mysql2.createPool()`, `mysql2/promise`'s `createPool()`, which
 * wraps the same core pool, and `new Pool()`), with no code change, and times every wait for one of its
 * connections.
 *
 * mysql2's `createPool` builds `new (require('./pool.js'))(…)`; faultline replaces the class exported by
 * `mysql2/lib/pool.js` with a subclass whose constructor registers the pool in the {@link PoolRegistry}
 * (read through {@link mysql2PoolAdapter}) and whose `getConnection` (which `query()` and `execute()`
 * use too) records the wait in `db.client.connection.wait_time`. mysql2 has no acquire timeout, so
 * `db.client.connection.timeouts` stays at zero for its pools. Query spans come from the OpenTelemetry
 * `mysql2` instrumentation, loaded next to this one.
 */
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import type { PoolRegistry } from '../../pools/registry.ts';
import { mysql2PoolAdapter, type Mysql2PoolLike } from '../../pools/mysql2.ts';
import { PoolWaits, type PoolAttributes } from '../../pools/waits.ts';
import { ATTR_POOL_NAME } from '../../semconv.ts';
import { VERSION } from '../../version.ts';
import { replaceClassExport, Subclasses } from '../module-exports.ts';
import { warnOnce } from '../../warn.ts';

/** mysql2 versions whose pool internals faultline reads. */
export const SUPPORTED_MYSQL2 = ['>=3.0.0 <4'];

type Callback = (err: unknown, connection?: unknown) => void;
type PoolClass = new (...args: any[]) => Mysql2PoolLike & { getConnection(cb: Callback): unknown };

/**
 * An OpenTelemetry instrumentation (scope `@faultline/mysql2-pool-discovery`) that registers mysql2 pools
 * in `registry` as they are constructed. Enabled on construction.
 */
export class Mysql2PoolDiscovery extends InstrumentationBase {
  readonly #registry: PoolRegistry;
  readonly #attrs = new WeakMap<object, PoolAttributes>();
  readonly #subclasses = new Subclasses();
  // Set by the base constructor (through _updateMetricInstruments) before field initialisers run.
  declare private waits: PoolWaits | undefined;

  /** @param registry - where discovered pools go. */
  constructor(registry: PoolRegistry) {
    super('@faultline/mysql2-pool-discovery', VERSION, {});
    this.#registry = registry;
  }

  protected override _updateMetricInstruments(): void {
    this.waits = new PoolWaits(this.meter);
  }

  protected override init() {
    return [
      new InstrumentationNodeModuleDefinition('mysql2', SUPPORTED_MYSQL2, undefined, undefined, [
        new InstrumentationNodeModuleFile(
          'mysql2/lib/pool.js',
          SUPPORTED_MYSQL2,
          (exports: unknown) =>
            replaceClassExport(exports, (cls) => this.#subclasses.of(cls as PoolClass, (Original) => this.#discovering(Original))),
          (exports: unknown) => replaceClassExport(exports, Subclasses.originalOf),
        ),
      ]),
    ];
  }

  #discovering(Original: PoolClass): PoolClass {
    const registry = this.#registry;
    const attrs = this.#attrs;
    const on = () => this.isEnabled();
    const record = (pool: object, t0: number) => this.waits?.record(attrs.get(pool), t0, false);
    return class extends Original {
      constructor(...args: any[]) {
        super(...args);
        if (!on()) return;
        try {
          attrs.set(this, Object.freeze({ [ATTR_POOL_NAME]: registry.add(this, mysql2PoolAdapter) }));
        } catch (err) {
          warnOnce('pool:add:mysql2', `could not track a mysql2 pool (${(err as Error)?.message}); its stats will be missing.`);
        }
      }

      override getConnection(cb: Callback): unknown {
        if (!on() || typeof cb !== 'function') return super.getConnection(cb);
        const t0 = performance.now();
        return super.getConnection((err, connection) => {
          record(this, t0);
          cb(err, connection);
        });
      }
    };
  }
}
