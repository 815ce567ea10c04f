/**
 * The demo's database: schema and seed data, created by the api itself at start-up. Two replicas
 * starting at once are serialised by a PostgreSQL advisory lock, and every statement is idempotent.
 */
import type pg from 'pg';

/** Number of rows in `items`. */
export const ITEM_COUNT = 1000;
const SCHEMA_LOCK = 4242;

/** Creates tables `items` and `orders` if missing, and seeds `items` (ids 1..ITEM_COUNT). */
export async function ensureSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS items (
      id int PRIMARY KEY, name text NOT NULL, price numeric(10,2) NOT NULL, stock int NOT NULL)`);
    await client.query(`CREATE TABLE IF NOT EXISTS orders (
      id bigserial PRIMARY KEY, item_id int NOT NULL, qty int NOT NULL, client text,
      status text NOT NULL DEFAULT 'new', total numeric(12,2), created_at timestamptz NOT NULL DEFAULT now())`);
    await client.query(
      `INSERT INTO items (id, name, price, stock)
       SELECT g, 'item-' || g, round((1 + (g % 97))::numeric * 1.25, 2), 1000 FROM generate_series(1, $1::int) g
       ON CONFLICT (id) DO NOTHING`,
      [ITEM_COUNT],
    );
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]).catch(() => undefined);
    client.release();
  }
}
