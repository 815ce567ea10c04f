/**
 * Reading a mysql2 Pool (`mysql2.createPool()`, and the core pool inside `mysql2/promise`'s): its
 * {@link PoolAdapter}. mysql2 has no public counters, so the adapter reads the pool's own queues, which
 * have kept their names across mysql2 1.x–3.x: `_allConnections` (every open connection), `_freeConnections`
 * (idle ones), `_connectionQueue` (callers waiting for a connection), and `config.connectionLimit`.
 */
import type { PoolAdapter } from './adapter.ts';

/** What faultline reads from a mysql2 Pool. */
export interface Mysql2PoolLike {
  readonly _allConnections?: { readonly length: number };
  readonly _freeConnections?: { readonly length: number };
  readonly _connectionQueue?: { readonly length: number };
  readonly _closed?: boolean;
  readonly config?: {
    /** Most connections the pool opens; mysql2's default is 10, 0 means no limit. */
    readonly connectionLimit?: number;
    readonly connectionConfig?: {
      readonly host?: string;
      readonly port?: number | string;
      readonly database?: string;
      readonly socketPath?: string;
    };
  };
}

/** mysql2's default `connectionLimit`. */
export const MYSQL2_DEFAULT_CONNECTION_LIMIT = 10;

/**
 * The pool's `db.client.connection.pool.name`: `host:port/database` from its connection config, with
 * mysql2's defaults (`localhost`, 3306) and the socket path in place of `host:port` when one is set.
 * A pool without a database is named `host:port/`.
 */
export function mysql2PoolName(pool: Mysql2PoolLike): string {
  const c = pool.config?.connectionConfig ?? {};
  const where = c.socketPath ? c.socketPath : `${c.host || 'localhost'}:${c.port ?? 3306}`;
  return `${where}/${c.database ?? ''}`;
}

const len = (q: { readonly length: number } | undefined): number => q?.length ?? 0;

/**
 * mysql2's adapter: used = all − free connections, idle = free connections, max = `connectionLimit`
 * (default 10; 0 = no limit, reported as 0), pending = queued `getConnection` callers, ended = `pool.end()` called.
 */
export const mysql2PoolAdapter: PoolAdapter<Mysql2PoolLike> = Object.freeze({
  name: mysql2PoolName,
  used: (pool: Mysql2PoolLike) => len(pool._allConnections) - len(pool._freeConnections),
  idle: (pool: Mysql2PoolLike) => len(pool._freeConnections),
  max: (pool: Mysql2PoolLike) => pool.config?.connectionLimit ?? MYSQL2_DEFAULT_CONNECTION_LIMIT,
  pending: (pool: Mysql2PoolLike) => len(pool._connectionQueue),
  ended: (pool: Mysql2PoolLike) => pool._closed === true,
});
