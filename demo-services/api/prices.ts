/**
 * Client-specific price lists, cached per client and item as a Redis hash `price:<client>:<id>`
 * (`HGETALL`, so the preload's `cache.hit` on `hgetall` spans is the price cache's hit ratio, apart
 * from the shared `item:<id>` cache's `get`). On a miss the price is computed in PostgreSQL with the
 * client's discount and cached for about `ttlS` (spread, ttl.ts). Scenario `cache-eviction` evicts one client's entries; without
 * Redis (`redis-down`) every price is computed in PostgreSQL (cache-fallback.ts).
 */
import type { Redis } from 'ioredis';
import { readOrMiss, writeOrSkip } from './cache-fallback.ts';
import type { Db } from './db.ts';
import { spreadTtl } from './ttl.ts';

/** A client's price for one item. */
export interface Price {
  id: number;
  client: string;
  price: string;
}

/** The client's discount factor, 0.80–0.99, stable per client. */
export function discountOf(client: string): number {
  let h = 0;
  for (const c of client) h = (h * 31 + c.charCodeAt(0)) % 10007;
  return 0.8 + (h % 20) / 100;
}

/** @returns `get(client, id)`: the price (or `undefined` for no such item) and whether the cache had it. */
export function createPriceStore(redis: Redis, db: Db, ttlS: number) {
  return {
    async get(client: string, id: number): Promise<{ price: Price | undefined; hit: boolean }> {
      const key = `price:${client}:${id}`;
      const cached = await readOrMiss(() => redis.hgetall(key), {} as Record<string, string>, 'hgetall');
      if (cached['price'] !== undefined) return { price: { id, client, price: cached['price'] }, hit: true };
      const { rows } = await db.query<{ price: string }>('SELECT round(price * $2, 2)::text AS price FROM items WHERE id = $1', [
        id,
        discountOf(client),
      ]);
      const row = rows[0];
      if (!row) return { price: undefined, hit: false };
      await writeOrSkip(async () => {
        await redis.hset(key, { price: row.price, client });
        await redis.expire(key, spreadTtl(ttlS));
      }, 'hset');
      return { price: { id, client, price: row.price }, hit: false };
    },
  };
}
