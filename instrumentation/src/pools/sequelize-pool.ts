/**
 * Reading a `sequelize-pool` Pool (the pool of every Sequelize v6 instance): its {@link PoolAdapter},
 * from the pool's public getters (`using`, `available`, `waiting`, `maxSize`) and its draining flag.
 */
import type { PoolAdapter } from './adapter.ts';

/** What faultline reads from a `sequelize-pool` Pool (7.x). */
export interface SequelizePoolLike {
  /** Resources handed out. */
  readonly using: number;
  /** Idle resources. */
  readonly available: number;
  /** Pending `acquire()` calls. */
  readonly waiting: number;
  /** The `max` option (Sequelize's `pool.max`, default 5). */
  readonly maxSize: number;
  /** Set once `drain()` began (`sequelize.close()`). */
  readonly _draining?: boolean;
}

/** Where a Sequelize instance connects, from its config (`sequelize.config`). */
export interface SequelizeTarget {
  readonly host?: string;
  readonly port?: number | string;
  readonly database?: string;
}

/** Default ports of Sequelize's dialects, for a pool name when the config has none. */
const DEFAULT_PORTS: Readonly<Record<string, number>> = { postgres: 5432, mysql: 3306, mariadb: 3306, mssql: 1433, db2: 50000 };

/**
 * A Sequelize pool's `db.client.connection.pool.name`: `host:port/database` from the instance's config,
 * with `localhost` and the dialect's default port when unset (`sqlite` has neither: `localhost:/<storage db>`).
 */
export function sequelizePoolName(target: SequelizeTarget, dialect: string): string {
  return `${target.host || 'localhost'}:${target.port ?? DEFAULT_PORTS[dialect] ?? ''}/${target.database ?? ''}`;
}

/**
 * sequelize-pool's adapter, given the pool's name (the pool itself does not know where it connects):
 * used = `using`, idle = `available`, max = `maxSize`, pending = `waiting`, ended = draining.
 */
export function sequelizePoolAdapter(name: string): PoolAdapter<SequelizePoolLike> {
  return Object.freeze({
    name: () => name,
    used: (pool: SequelizePoolLike) => pool.using,
    idle: (pool: SequelizePoolLike) => pool.available,
    max: (pool: SequelizePoolLike) => pool.maxSize,
    pending: (pool: SequelizePoolLike) => pool.waiting,
    ended: (pool: SequelizePoolLike) => pool._draining === true,
  });
}
