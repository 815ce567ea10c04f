/**
 * Finds every `pg.Pool` (and bare `pg-pool` Pool) the app creates, with no code change.
 *
 * `pg` builds its `Pool` as `class BoundPool extends require('pg-pool')`; faultline replaces
 * the `pg-pool` export with a subclass whose constructor registers the new pool in the
 * {@link PoolRegistry}. `instanceof`, static members and every method are the original's;
 * the OpenTelemetry `pg` instrumentation still wraps `connect` (the `pg-pool.connect` span).
 */
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import type { PgPoolLike, PoolRegistry } from './pool-registry.ts';
import { VERSION } from './version.ts';
import { warnOnce } from './warn.ts';

const DISCOVERED = Symbol.for('faultline.pg-pool.discovered');

/** pg-pool versions whose `totalCount`/`idleCount`/`waitingCount`/`options` faultline reads. */
export const SUPPORTED_PG_POOL = ['>=2.0.0 <4'];

type PoolClass = (new (...args: any[]) => PgPoolLike) & { [DISCOVERED]?: true };

/**
 * An OpenTelemetry instrumentation (require-in-the-middle / import-in-the-middle hooks)
 * that registers pools in `registry` as they are constructed.
 */
export class PgPoolDiscovery extends InstrumentationBase {
  readonly #registry: PoolRegistry;

  /** @param registry - where discovered pools go. */
  constructor(registry: PoolRegistry) {
    super('@faultline/pg-pool-discovery', VERSION, {});
    this.#registry = registry;
  }

  protected override init() {
    return [
      new InstrumentationNodeModuleDefinition(
        'pg-pool',
        SUPPORTED_PG_POOL,
        (exports: unknown) => this.#patch(exports),
        (exports: unknown) => exports,
      ),
    ];
  }

  #patch(exports: unknown): unknown {
    // CommonJS (require-in-the-middle): the class itself. ESM graph (import-in-the-middle): a
    // namespace whose `default` is the class.
    if (exports !== null && typeof exports === 'object' && typeof (exports as { default?: unknown }).default === 'function') {
      const ns = exports as { default: PoolClass };
      ns.default = this.#patch(ns.default) as PoolClass;
      return exports;
    }
    if (typeof exports !== 'function') return exports;
    const Original = exports as PoolClass;
    if (Original[DISCOVERED]) return exports;
    const registry = this.#registry;
    const Discovered = class extends Original {
      constructor(...args: any[]) {
        super(...args);
        try {
          registry.add(this);
        } catch (err) {
          warnOnce('pool:add', `could not track a pg pool (${(err as Error)?.message}); its stats will be missing.`);
        }
      }
    } as PoolClass;
    Object.defineProperty(Discovered, 'name', { value: Original.name });
    Discovered[DISCOVERED] = true;
    return Discovered;
  }
}
