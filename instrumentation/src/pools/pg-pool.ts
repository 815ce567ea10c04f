/**
 * Reading a `pg-pool` Pool (the pool inside node-postgres' `pg.Pool`): its {@link PoolAdapter}.
 */
import type { PoolAdapter } from './adapter.ts';

/** What faultline reads from a `pg-pool` Pool (public getters of pg-pool 2 and 3). */
export interface PgPoolLike {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly ended?: boolean;
  readonly options?: {
    readonly max?: number;
    readonly host?: string;
    readonly port?: number | string;
    readonly database?: string;
    readonly connectionString?: string;
  };
}

const PG_POOL_DEFAULT_MAX = 10;

/**
 * Derives a pool's `db.client.connection.pool.name` (`host:port/database`) from its options,
 * falling back to the libpq environment variables node-postgres itself falls back to
 * (`PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`) and then to node-postgres' defaults.
 */
export function poolNameOf(pool: PgPoolLike, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const o = pool.options ?? {};
  let host = o.host;
  let port = o.port === undefined ? undefined : String(o.port);
  let database = o.database;
  if (o.connectionString) {
    try {
      const url = new URL(o.connectionString);
      host ??= decodeURIComponent(url.hostname) || undefined;
      port ??= url.port || undefined;
      database ??= decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
    } catch {
      // Not a URL (e.g. key=value form): keep the other sources.
    }
  }
  host ??= env['PGHOST'] || 'localhost';
  port ??= env['PGPORT'] || '5432';
  database ??= env['PGDATABASE'] || env['PGUSER'] || 'postgres';
  return `${host}:${port}/${database}`;
}

/**
 * pg-pool's adapter: used = `totalCount - idleCount`, idle = `idleCount`, max = `options.max`
 * (default 10), pending = `waitingCount`, ended = `ended`; named by {@link poolNameOf}.
 */
export const pgPoolAdapter: PoolAdapter<PgPoolLike> = Object.freeze({
  name: (pool: PgPoolLike) => poolNameOf(pool),
  used: (pool: PgPoolLike) => pool.totalCount - pool.idleCount,
  idle: (pool: PgPoolLike) => pool.idleCount,
  max: (pool: PgPoolLike) => pool.options?.max ?? PG_POOL_DEFAULT_MAX,
  pending: (pool: PgPoolLike) => pool.waitingCount,
  ended: (pool: PgPoolLike) => pool.ended === true,
});
