/**
 * The api's queries go through here, so that scenario `db-slow` can make the database itself slow:
 * while a delay is set, each statement is wrapped as `WITH q AS (<statement>) SELECT q.* FROM q,
 * pg_sleep(<s>)`, so the time is spent inside PostgreSQL and shows on the query's own span.
 */
import type pg from 'pg';

/** What the routes query through. */
export interface Db {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** `text` wrapped so that PostgreSQL sleeps `delayMs` while running it (same parameters, same rows). */
export function withDelay(text: string, delayMs: number): string {
  return `WITH q AS (${text}) SELECT q.* FROM q, pg_sleep(${(delayMs / 1000).toFixed(3)})`;
}

/**
 * @param pool - the api's pool.
 * @param delayMs - read before every query: the injected delay (0 = none).
 */
export function createDb(pool: pg.Pool, delayMs: () => number): Db {
  return {
    query<R extends pg.QueryResultRow>(text: string, params?: unknown[]) {
      const d = delayMs();
      return pool.query<R>(d > 0 ? withDelay(text, d) : text, params);
    },
  };
}
