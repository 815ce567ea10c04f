/**
 * Item reads through a Redis cache in front of PostgreSQL (cache-aside). The preload marks each
 * Redis read span with `cache.hit`. Without Redis the items come from PostgreSQL (cache-fallback.ts).
 */
import type { Redis } from 'ioredis';
import { readOrMiss, writeOrSkip } from './cache-fallback.ts';
import type { Db } from './db.ts';
import { spreadTtl } from './ttl.ts';

/** A row of `items`. */
export interface Item {
  id: number;
  name: string;
  price: string;
  stock: number;
}

/**
 * @param redis - cache client.
 * @param db - database.
 * @param ttlS - cache time-to-live in seconds (each entry's spread around it, ttl.ts).
 * @returns `get(id)`: the item (or `undefined` if no such id) and whether the cache had it.
 */
export function createItemStore(redis: Redis, db: Db, ttlS: number) {
  return {
    async get(id: number): Promise<{ item: Item | undefined; hit: boolean }> {
      const key = `item:${id}`;
      const cached = await readOrMiss(() => redis.get(key), null, 'get');
      if (cached !== null) {
        return { item: JSON.parse(cached) as Item, hit: true };
      }
      const { rows } = await db.query<Item>('SELECT id, name, price::text AS price, stock FROM items WHERE id = $1', [id]);
      const item = rows[0];
      if (item) await writeOrSkip(() => redis.set(key, JSON.stringify(item), 'EX', spreadTtl(ttlS)), 'set');
      return { item, hit: false };
    },
  };
}
