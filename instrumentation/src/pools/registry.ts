/**
 * The connection pools of this process, found without code changes by the discovery
 * instrumentations (pg-pool, knex's tarn, generic-pool), and their state read at any moment through
 * each library's {@link PoolAdapter}.
 *
 * Pools are held by `WeakRef`: a pool the app drops is not kept alive by faultline, and an
 * ended pool is forgotten.
 */
import { ATTR_POOL_IDLE, ATTR_POOL_MAX, ATTR_POOL_NAME, ATTR_POOL_PENDING, ATTR_POOL_USED } from '../semconv.ts';
import type { PoolAdapter } from './adapter.ts';
import { pgPoolAdapter } from './pg-pool.ts';

export { poolNameOf, pgPoolAdapter, type PgPoolLike } from './pg-pool.ts';
export type { PoolAdapter } from './adapter.ts';

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
  /** Maximum connections (the library's `max` option, or its default: pg-pool's is 10). */
  readonly max: number;
  /** Requests waiting for a connection. */
  readonly pending: number;
}

interface Tracked {
  readonly name: string;
  readonly ref: WeakRef<object>;
  readonly adapter: PoolAdapter<object>;
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

  /**
   * Starts tracking `pool`, read through `adapter`.
   * @param adapter - how to read a pool of its library; default pg-pool's (so `add(pgPool)` works as before).
   * @returns the name given to it (the adapter's name, `#2`, `#3` appended on clashes).
   * @throws whatever the adapter's `name` throws (the callers catch it and warn once).
   */
  add<P extends object>(pool: P, adapter: PoolAdapter<P> = pgPoolAdapter as unknown as PoolAdapter<P>): string {
    this.#prune();
    const base = adapter.name(pool);
    let name = base;
    for (let i = 2; this.#pools.some((p) => p.name === name); i++) name = `${base}#${i}`;
    const tracked: Tracked = { name, ref: new WeakRef(pool), adapter: adapter as unknown as PoolAdapter<object> };
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
      if (pool) out.push(snapshotOf(t, pool));
    }
    return out;
  }

  /** Snapshot of the pool stamped on spans, or `undefined` when the process has none. */
  primary(): PoolSnapshot | undefined {
    const t = this.#livePrimary();
    const pool = t?.ref.deref();
    return t && pool ? snapshotOf(t, pool) : undefined;
  }

  /**
   * Sets the five `db.client.connection.pool.*` attributes of the primary pool on `span` (a span or a
   * log record). Allocation-free on the hot path. No-op when the process has no pool.
   */
  stamp(span: AttributeSink): void {
    const t = this.#primary;
    if (t === undefined) return;
    const pool = t.ref.deref();
    const a = t.adapter;
    if (pool === undefined || a.ended(pool)) {
      this.#primary = undefined;
      this.#prune();
      if (this.#livePrimary() !== undefined) this.stamp(span);
      return;
    }
    span.setAttribute(ATTR_POOL_NAME, t.name);
    span.setAttribute(ATTR_POOL_USED, a.used(pool));
    span.setAttribute(ATTR_POOL_IDLE, a.idle(pool));
    span.setAttribute(ATTR_POOL_MAX, a.max(pool));
    span.setAttribute(ATTR_POOL_PENDING, a.pending(pool));
  }

  #livePrimary(): Tracked | undefined {
    const t = this.#primary;
    if (t !== undefined) {
      const pool = t.ref.deref();
      if (pool !== undefined && !t.adapter.ended(pool)) return t;
    }
    this.#prune();
    this.#primary = (this.#preferred !== '' ? this.#pools.find((p) => p.name === this.#preferred) : undefined) ?? this.#pools[0];
    return this.#primary;
  }

  #prune(): void {
    for (let i = this.#pools.length - 1; i >= 0; i--) {
      const t = this.#pools[i]!;
      const pool = t.ref.deref();
      if (pool === undefined || t.adapter.ended(pool)) this.#pools.splice(i, 1);
    }
  }
}

function snapshotOf(t: Tracked, pool: object): PoolSnapshot {
  const a = t.adapter;
  return { name: t.name, used: a.used(pool), idle: a.idle(pool), max: a.max(pool), pending: a.pending(pool) };
}
