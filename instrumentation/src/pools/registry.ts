/**
 * The connection pools of this process, found by {@link PgPoolDiscovery} without code
 * changes, and their state read at any moment.
 *
 * Pools are held by `WeakRef`: a pool the app drops is not kept alive by faultline, and an
 * ended pool is forgotten.
 */
import { ATTR_POOL_IDLE, ATTR_POOL_MAX, ATTR_POOL_NAME, ATTR_POOL_PENDING, ATTR_POOL_USED } from '../semconv.ts';

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

/** Anything pool attributes can be set on: a span or a log record. */
export interface AttributeSink {
  setAttribute(key: string, value: string | number): unknown;
}

/** State of one pool at one moment. All counts are connections (or waiting requests). */
export interface PoolSnapshot {
  /** `host:port/database`, unique within the process (`#2`, `#3` appended on clashes). */
  readonly name: string;
  /** Connections checked out by the app. */
  readonly used: number;
  /** Open connections not checked out. */
  readonly idle: number;
  /** Maximum connections (`max` option; pg-pool's default is 10). */
  readonly max: number;
  /** Requests waiting for a connection. */
  readonly pending: number;
}

interface Tracked {
  readonly name: string;
  readonly ref: WeakRef<PgPoolLike>;
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

/** Registry of the process's pools. One instance per SDK. */
export class PoolRegistry {
  readonly #pools: Tracked[] = [];
  readonly #preferred: string;
  #primary: Tracked | undefined;

  /**
   * @param preferredName - `FAULTLINE_POOL`: the pool stamped on spans; empty = the first pool created.
   */
  constructor(preferredName = '') {
    this.#preferred = preferredName;
  }

  /** Starts tracking `pool`. Never throws. @returns the name given to it. */
  add(pool: PgPoolLike): string {
    this.#prune();
    const base = poolNameOf(pool);
    let name = base;
    for (let i = 2; this.#pools.some((p) => p.name === name); i++) name = `${base}#${i}`;
    const tracked: Tracked = { name, ref: new WeakRef(pool) };
    this.#pools.push(tracked);
    if (this.#primary === undefined || (this.#preferred !== '' && name === this.#preferred)) this.#primary = tracked;
    return name;
  }

  /** Number of live pools. */
  get size(): number {
    this.#prune();
    return this.#pools.length;
  }

  /** Snapshots of every live pool, in creation order. */
  snapshots(): PoolSnapshot[] {
    this.#prune();
    const out: PoolSnapshot[] = [];
    for (const t of this.#pools) {
      const pool = t.ref.deref();
      if (pool) out.push(snapshotOf(t.name, pool));
    }
    return out;
  }

  /** Snapshot of the pool stamped on spans, or `undefined` when the process has none. */
  primary(): PoolSnapshot | undefined {
    const t = this.#livePrimary();
    const pool = t?.ref.deref();
    return t && pool ? snapshotOf(t.name, pool) : undefined;
  }

  /**
   * Sets the five `db.client.connection.pool.*` attributes of the primary pool on `span` (a span or a
   * log record). Allocation-free on the hot path. No-op when the process has no pool.
   */
  stamp(span: AttributeSink): void {
    const t = this.#primary;
    if (t === undefined) return;
    const pool = t.ref.deref();
    if (pool === undefined || pool.ended === true) {
      this.#primary = undefined;
      this.#prune();
      if (this.#livePrimary() !== undefined) this.stamp(span);
      return;
    }
    const total = pool.totalCount;
    const idle = pool.idleCount;
    span.setAttribute(ATTR_POOL_NAME, t.name);
    span.setAttribute(ATTR_POOL_USED, total - idle);
    span.setAttribute(ATTR_POOL_IDLE, idle);
    span.setAttribute(ATTR_POOL_MAX, pool.options?.max ?? PG_POOL_DEFAULT_MAX);
    span.setAttribute(ATTR_POOL_PENDING, pool.waitingCount);
  }

  #livePrimary(): Tracked | undefined {
    const t = this.#primary;
    if (t !== undefined) {
      const pool = t.ref.deref();
      if (pool !== undefined && pool.ended !== true) return t;
    }
    this.#prune();
    this.#primary = (this.#preferred !== '' ? this.#pools.find((p) => p.name === this.#preferred) : undefined) ?? this.#pools[0];
    return this.#primary;
  }

  #prune(): void {
    for (let i = this.#pools.length - 1; i >= 0; i--) {
      const pool = this.#pools[i]!.ref.deref();
      if (pool === undefined || pool.ended === true) this.#pools.splice(i, 1);
    }
  }
}

function snapshotOf(name: string, pool: PgPoolLike): PoolSnapshot {
  const total = pool.totalCount;
  const idle = pool.idleCount;
  return {
    name,
    used: total - idle,
    idle,
    max: pool.options?.max ?? PG_POOL_DEFAULT_MAX,
    pending: pool.waitingCount,
  };
}
