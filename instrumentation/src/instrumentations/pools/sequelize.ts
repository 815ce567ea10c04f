/**
 * Finds the connection pool of every Sequelize (v6) instance the app creates, with no code change, and
 * times every wait for one of its connections.
 *
 * Sequelize builds its pools (`sequelize-pool`) in `ConnectionManager#initPools`, called by the
 * connection manager's constructor; faultline wraps that method (in
 * `sequelize/lib/dialects/abstract/connection-manager.js`, which every dialect's manager extends) and
 * registers the pool it made in the {@link PoolRegistry}, named from the instance's `host`, `port` and
 * `database`. With read replication Sequelize has two pools, `write` and `read`; both are registered
 * (the write pool first, so it is the one stamped on spans unless `FAULTLINE_POOL` names the other).
 * Each pool's `acquire()` is timed into `db.client.connection.wait_time`, and its `TimeoutError` (no
 * connection within `pool.acquire` ms) counted in `db.client.connection.timeouts`. Sequelize talks to the
 * database through its dialect's driver (`pg`, `mysql2`, …), whose OpenTelemetry instrumentation gives
 * the query spans.
 */
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import type { PoolRegistry } from '../../pools/registry.ts';
import { sequelizePoolAdapter, sequelizePoolName, type SequelizePoolLike, type SequelizeTarget } from '../../pools/sequelize-pool.ts';
import { PoolWaits } from '../../pools/waits.ts';
import { ATTR_POOL_NAME } from '../../semconv.ts';
import { VERSION } from '../../version.ts';
import { warnOnce } from '../../warn.ts';

/** Sequelize versions whose connection manager faultline wraps. */
export const SUPPORTED_SEQUELIZE = ['>=6.0.0 <7'];

type Acquirable = SequelizePoolLike & { acquire(...args: unknown[]): Promise<unknown> };

interface ConnectionManagerLike {
  pool?: Acquirable | { read?: Acquirable; write?: Acquirable };
  config?: SequelizeTarget & { replication?: { read?: SequelizeTarget[]; write?: SequelizeTarget } | false };
  dialectName?: string;
}

interface ManagerModule {
  ConnectionManager?: { prototype: { initPools?: (...args: unknown[]) => unknown } };
}

const TIMED = Symbol('faultline.sequelize.timed');

/**
 * An OpenTelemetry instrumentation (scope `@faultline/sequelize-pool-discovery`) that registers
 * Sequelize's pools in `registry` as they are built. Enabled on construction.
 */
export class SequelizePoolDiscovery extends InstrumentationBase {
  readonly #registry: PoolRegistry;
  declare private waits: PoolWaits | undefined;

  /** @param registry - where discovered pools go. */
  constructor(registry: PoolRegistry) {
    super('@faultline/sequelize-pool-discovery', VERSION, {});
    this.#registry = registry;
  }

  protected override _updateMetricInstruments(): void {
    this.waits = new PoolWaits(this.meter);
  }

  protected override init() {
    return [
      new InstrumentationNodeModuleDefinition('sequelize', SUPPORTED_SEQUELIZE, undefined, undefined, [
        new InstrumentationNodeModuleFile(
          'sequelize/lib/dialects/abstract/connection-manager.js',
          SUPPORTED_SEQUELIZE,
          (exports: unknown) => this.#patch(exports as ManagerModule),
          (exports: unknown) => this.#unpatch(exports as ManagerModule),
        ),
      ]),
    ];
  }

  #patch(exports: ManagerModule): ManagerModule {
    const proto = exports?.ConnectionManager?.prototype;
    if (proto && typeof proto.initPools === 'function') {
      const self = this;
      this._wrap(
        proto,
        'initPools',
        (original) =>
          function (this: ConnectionManagerLike, ...args: unknown[]) {
            const result = original!.apply(this, args);
            if (self.isEnabled()) self.#track(this);
            return result;
          },
      );
    }
    return exports;
  }

  #unpatch(exports: ManagerModule): ManagerModule {
    const proto = exports?.ConnectionManager?.prototype;
    if (proto) this._unwrap(proto, 'initPools');
    return exports;
  }

  #track(manager: ConnectionManagerLike): void {
    try {
      const config = manager.config ?? {};
      const dialect = manager.dialectName ?? '';
      const pool = manager.pool;
      if (pool && typeof (pool as Acquirable).acquire === 'function') {
        this.#add(pool as Acquirable, sequelizePoolName(config, dialect));
      } else if (pool && config.replication) {
        const { write, read } = pool as { read?: Acquirable; write?: Acquirable };
        if (write) this.#add(write, sequelizePoolName(config.replication.write ?? config, dialect));
        if (read) this.#add(read, sequelizePoolName(config.replication.read?.[0] ?? config, dialect));
      }
    } catch (err) {
      warnOnce('pool:add:sequelize', `could not track a Sequelize pool (${(err as Error)?.message}); its stats will be missing.`);
    }
  }

  #add(pool: Acquirable, name: string): void {
    const attrs = Object.freeze({ [ATTR_POOL_NAME]: this.#registry.add(pool, sequelizePoolAdapter(name)) });
    if ((pool as { [TIMED]?: boolean })[TIMED]) return;
    const acquire = pool.acquire;
    const waits = () => this.waits;
    const on = () => this.isEnabled();
    Object.defineProperty(pool, TIMED, { value: true });
    // An own property of this pool only: the sequelize-pool class is left alone.
    pool.acquire = function (this: Acquirable, ...args: unknown[]) {
      const t0 = performance.now();
      const result = acquire.apply(this, args);
      if (!on()) return result;
      result.then(
        () => waits()?.record(attrs, t0, false),
        (err: unknown) => waits()?.record(attrs, t0, (err as Error | undefined)?.name === 'TimeoutError'),
      );
      return result;
    };
  }
}
