/**
 * generic-pool's pools, found with no code change: faultline replaces the `Pool` class of
 * `generic-pool/lib/Pool.js` (which `createPool` and `new Pool` both use) with a subclass whose
 * constructor registers the pool in the {@link PoolRegistry}, read through {@link genericPoolAdapter},
 * and whose `acquire()` is timed into the shared wait histogram ("ResourceRequest timed out" errors
 * count as timeouts). `instanceof`, static members and every method are the original's.
 *
 * Pools that another library makes for itself are not the app's connection pool and are left out: node-redis
 * 4 (`@redis/client` 1) builds a generic-pool "isolation pool" in every client's constructor, which would
 * otherwise be tracked (and, created first, stamped on every span instead of the app's database pool).
 */
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import type { PoolAdapter } from '../../pools/adapter.ts';
import type { PoolRegistry } from '../../pools/registry.ts';
import { PoolWaits, type PoolAttributes } from '../../pools/waits.ts';
import { ATTR_POOL_NAME } from '../../semconv.ts';
import { VERSION } from '../../version.ts';
import { warnOnce } from '../../warn.ts';
import { replaceClassExport, Subclasses } from '../module-exports.ts';

/** generic-pool versions with the `borrowed`/`available`/`pending`/`max` getters (3.x). */
export const SUPPORTED_GENERIC_POOL = ['>=3.0.0 <4'];

/**
 * The name of every generic-pool pool (`db.client.connection.pool.name`): the library does not know
 * what its resources connect to, so pools are `generic-pool`, `generic-pool#2`, … in creation order.
 */
export const GENERIC_POOL_NAME = 'generic-pool';

/** What faultline reads from a generic-pool `Pool` (public getters of generic-pool 3). */
export interface GenericPoolLike {
  readonly borrowed: number;
  readonly available: number;
  readonly pending: number;
  readonly max: number;
  /** Set by `drain()`: the pool takes no more requests. */
  readonly _draining?: boolean;
}

/** generic-pool's adapter: used = `borrowed`, idle = `available`, pending = `pending`, max = `max`, ended once draining. */
export const genericPoolAdapter: PoolAdapter<GenericPoolLike> = Object.freeze({
  name: () => GENERIC_POOL_NAME,
  used: (p: GenericPoolLike) => p.borrowed,
  idle: (p: GenericPoolLike) => p.available,
  max: (p: GenericPoolLike) => p.max,
  pending: (p: GenericPoolLike) => p.pending,
  ended: (p: GenericPoolLike) => p._draining === true,
});

/** Source paths of libraries that make generic-pool pools of their own (node-redis 4's isolation pool). */
export const INTERNAL_USERS: readonly RegExp[] = [/[\\/]node_modules[\\/]@(?:redis|node-redis)[\\/]client[\\/]/];

/**
 * Whether a pool constructed with this call stack was made by a library for itself
 * ({@link INTERNAL_USERS}) rather than by the app. Read once per pool construction.
 * @param stack - `new Error().stack` taken in the pool's constructor.
 */
export function madeByLibrary(stack: string | undefined): boolean {
  return stack !== undefined && INTERNAL_USERS.some((re) => re.test(stack));
}

type PoolInstance = GenericPoolLike & { acquire(priority?: number): Promise<unknown> };
type PoolClass = new (...args: any[]) => PoolInstance;

/**
 * An OpenTelemetry instrumentation that registers generic-pool pools in `registry` as they are
 * constructed. Scope `@faultline/generic-pool-discovery`; enabled on construction.
 */
export class GenericPoolDiscovery extends InstrumentationBase {
  readonly #registry: PoolRegistry;
  readonly #attrs = new WeakMap<object, PoolAttributes>();
  readonly #subclasses = new Subclasses();
  // Set by the base constructor (through _updateMetricInstruments) before field initialisers run.
  declare private waits: PoolWaits | undefined;

  /** @param registry - where discovered pools go. */
  constructor(registry: PoolRegistry) {
    super('@faultline/generic-pool-discovery', VERSION, {});
    this.#registry = registry;
  }

  protected override _updateMetricInstruments(): void {
    this.waits = new PoolWaits(this.meter);
  }

  protected override init() {
    const file = new InstrumentationNodeModuleFile(
      'generic-pool/lib/Pool.js',
      SUPPORTED_GENERIC_POOL,
      (exports: unknown) =>
        replaceClassExport(exports, (cls) => this.#subclasses.of(cls as PoolClass, (Original) => this.#discovering(Original))),
      (exports: unknown) => replaceClassExport(exports, Subclasses.originalOf),
    );
    return [new InstrumentationNodeModuleDefinition('generic-pool', SUPPORTED_GENERIC_POOL, undefined, undefined, [file])];
  }

  #discovering(Original: PoolClass): PoolClass {
    const registry = this.#registry;
    const attrs = this.#attrs;
    const on = () => this.isEnabled();
    const waits = () => this.waits;
    return class extends Original {
      constructor(...args: any[]) {
        super(...args);
        if (!on()) return;
        try {
          if (madeByLibrary(new Error().stack)) return;
          attrs.set(this, Object.freeze({ [ATTR_POOL_NAME]: registry.add(this as GenericPoolLike, genericPoolAdapter) }));
        } catch (err) {
          warnOnce('pool:add', `could not track a generic-pool pool (${(err as Error)?.message}); its stats will be missing.`);
        }
      }

      override acquire(priority?: number): Promise<unknown> {
        const a = attrs.get(this);
        if (a === undefined || !on()) return super.acquire(priority);
        const t0 = performance.now();
        const result = super.acquire(priority);
        result.then(
          () => waits()?.record(a, t0, false),
          (err: unknown) => waits()?.record(a, t0, (err as Error | undefined)?.name === 'TimeoutError'),
        );
        return result;
      }
    };
  }
}
