/**
 * knex's connection pool (a tarn `Pool`), found with no code change: faultline wraps knex's
 * `Client.prototype.initializePool` (in `knex/lib/client.js`), so the pool each knex instance makes is
 * registered in the {@link PoolRegistry} as it is created, named after the instance's connection
 * settings, and read through {@link tarnAdapter}. `acquireConnection` (every query's wait for a
 * connection) is timed into the shared wait histogram; knex's "Timeout acquiring a connection" errors
 * count as timeouts. A pool passed in by the app (`connectionPool`) is left alone.
 *
 * knex's queries themselves are traced by the driver's instrumentation (`pg` on PostgreSQL).
 */
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import type { PoolAdapter } from '../../pools/adapter.ts';
import { poolNameOf } from '../../pools/pg-pool.ts';
import type { PoolRegistry } from '../../pools/registry.ts';
import { PoolWaits, type PoolAttributes } from '../../pools/waits.ts';
import { ATTR_POOL_NAME } from '../../semconv.ts';
import { VERSION } from '../../version.ts';
import { warnOnce } from '../../warn.ts';

/** knex versions whose `lib/client.js` has `initializePool`/`acquireConnection` and a tarn pool. */
export const SUPPORTED_KNEX = ['>=0.95.0 <4'];

/** What faultline reads from a tarn `Pool` (public methods and fields of tarn 3). */
export interface TarnPoolLike {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  readonly max: number;
  readonly destroyed?: boolean;
}

/** tarn's adapter: used = `numUsed()`, idle = `numFree()`, pending = `numPendingAcquires()`, max = `max`, ended = `destroyed`. */
export const tarnAdapter = (name: string): PoolAdapter<TarnPoolLike> => ({
  name: () => name,
  used: (p) => p.numUsed(),
  idle: (p) => p.numFree(),
  max: (p) => p.max,
  pending: (p) => p.numPendingAcquires(),
  ended: (p) => p.destroyed === true,
});

/** The part of a knex `Client` faultline reads. */
interface KnexClientLike {
  pool?: unknown;
  connectionSettings?: { host?: string; port?: number | string; database?: string; connectionString?: string; user?: string };
  dialect?: string;
  config?: { pool?: { max?: number }; connectionPool?: unknown };
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { mysql: '3306', mysql2: '3306', mssql: '1433', oracledb: '1521' };

/**
 * A knex pool's `db.client.connection.pool.name`: `host:port/database` of the connection settings. On
 * PostgreSQL the same rule as a `pg.Pool` ({@link poolNameOf}: connection string, `PG*` variables,
 * node-postgres' defaults); on other dialects host (default `localhost`), the dialect's default port and
 * the database; SQLite's file name.
 */
export function knexPoolName(client: KnexClientLike): string {
  const s = client.connectionSettings ?? {};
  const dialect = client.dialect ?? '';
  if (dialect === 'postgresql' || dialect === 'pg' || dialect === '')
    return poolNameOf({ totalCount: 0, idleCount: 0, waitingCount: 0, options: s });
  if (dialect.includes('sqlite')) return `sqlite:${(s as { filename?: string }).filename ?? ''}`;
  return `${s.host ?? 'localhost'}:${s.port ?? DEFAULT_PORTS[dialect] ?? ''}/${s.database ?? ''}`;
}

const TIMEOUT_NAME = 'KnexTimeoutError';

function isTarnPool(p: unknown): p is TarnPoolLike {
  const t = p as Partial<TarnPoolLike> | undefined;
  return typeof t?.numUsed === 'function' && typeof t.numFree === 'function' && typeof t.numPendingAcquires === 'function';
}

type ClientProto = { initializePool?: (...a: unknown[]) => unknown; acquireConnection?: (...a: unknown[]) => unknown };

/**
 * An OpenTelemetry instrumentation that registers every knex instance's tarn pool in `registry` as it
 * is created. Scope `@faultline/knex-pool-discovery`; enabled on construction.
 */
export class KnexPoolDiscovery extends InstrumentationBase {
  readonly #registry: PoolRegistry;
  readonly #attrs = new WeakMap<object, PoolAttributes>();
  // Set by the base constructor (through _updateMetricInstruments) before field initialisers run.
  declare private waits: PoolWaits | undefined;

  /** @param registry - where discovered pools go. */
  constructor(registry: PoolRegistry) {
    super('@faultline/knex-pool-discovery', VERSION, {});
    this.#registry = registry;
  }

  protected override _updateMetricInstruments(): void {
    this.waits = new PoolWaits(this.meter);
  }

  protected override init() {
    const file = new InstrumentationNodeModuleFile(
      'knex/lib/client.js',
      SUPPORTED_KNEX,
      (Client: { prototype?: ClientProto }) => {
        const proto = Client?.prototype;
        if (proto?.initializePool)
          this._wrap(proto, 'initializePool', (orig) => this.#initializePool(orig as (...a: unknown[]) => unknown));
        if (proto?.acquireConnection)
          this._wrap(proto, 'acquireConnection', (orig) => this.#acquireConnection(orig as (...a: unknown[]) => Promise<unknown>));
        return Client;
      },
      (Client: { prototype?: ClientProto }) => {
        const proto = Client?.prototype;
        if (proto) {
          this._unwrap(proto, 'initializePool');
          this._unwrap(proto, 'acquireConnection');
        }
        return Client;
      },
    );
    return [new InstrumentationNodeModuleDefinition('knex', SUPPORTED_KNEX, undefined, undefined, [file])];
  }

  #initializePool(original: (...a: unknown[]) => unknown) {
    const registry = this.#registry;
    const attrs = this.#attrs;
    return function (this: KnexClientLike, ...args: unknown[]): unknown {
      const before = this.pool;
      const result = original.apply(this, args);
      const pool = this.pool;
      const config = (args[0] ?? this.config) as { connectionPool?: unknown } | undefined;
      if (pool !== before && isTarnPool(pool) && !config?.connectionPool) {
        try {
          attrs.set(this, Object.freeze({ [ATTR_POOL_NAME]: registry.add(pool, tarnAdapter(knexPoolName(this))) }));
        } catch (err) {
          warnOnce('pool:add', `could not track a knex pool (${(err as Error)?.message}); its stats will be missing.`);
        }
      }
      return result;
    };
  }

  #acquireConnection(original: (...a: unknown[]) => Promise<unknown>) {
    const attrs = this.#attrs;
    const waits = () => this.waits;
    return function (this: object, ...args: unknown[]): Promise<unknown> {
      const a = attrs.get(this);
      if (a === undefined) return original.apply(this, args);
      const t0 = performance.now();
      const result = original.apply(this, args);
      result.then(
        () => waits()?.record(a, t0, false),
        (err: unknown) => waits()?.record(a, t0, (err as Error | undefined)?.name === TIMEOUT_NAME),
      );
      return result;
    };
  }
}
