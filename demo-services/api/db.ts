/**
 * The api's queries go through here, so that scenario `db-slow` can make the database itself slow:
 * while a delay is set, each statement is wrapped as `WITH q AS (<statement>) SELECT q.* FROM q,
 * pg_sleep(<s>)`, so the time is spent inside PostgreSQL and shows on the query's own span. A query
 * that gets no pool connection in time is logged here (a warning, with how long it waited), inside the
 * request's context: the preload stamps the line with the trace, the client and the pool's state.
 */
import type pg from 'pg';
import type { Logger } from 'pino';

/** What the routes query through. */
export interface Db {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** `text` wrapped so that PostgreSQL sleeps `delayMs` while running it (same parameters, same rows). */
export function withDelay(text: string, delayMs: number): string {
  return `WITH q AS (${text}) SELECT q.* FROM q, pg_sleep(${(delayMs / 1000).toFixed(3)})`;
}

/** The message of node-postgres' pool when no connection frees up within `connectionTimeoutMillis`. */
const ACQUIRE_TIMEOUT = /timeout exceeded when trying to connect/i;

/** A query that failed because the pool had no free connection in time; `cause` is node-postgres' error. */
export class PoolTimeoutError extends Error {
  /** How long the query waited for a connection, ms. */
  readonly waitedMs: number;

  /** @param waitedMs - how long the query waited for a connection, ms. @param cause - node-postgres' error. */
  constructor(waitedMs: number, cause: Error) {
    super(`DB connection timeout: no pool connection free after ${waitedMs} ms`, { cause });
    this.name = 'PoolTimeoutError';
    this.waitedMs = waitedMs;
  }
}

/**
 * @param pool - the api's pool.
 * @param delayMs - read before every query: the injected delay (0 = none).
 * @param log - where a pool timeout is logged (warn).
 * @returns the api's query function; a pool timeout rejects with {@link PoolTimeoutError}, other errors as they are.
 */
export function createDb(pool: pg.Pool, delayMs: () => number, log: Logger): Db {
  return {
    async query<R extends pg.QueryResultRow>(text: string, params?: unknown[]) {
      const d = delayMs();
      const started = performance.now();
      try {
        return await pool.query<R>(d > 0 ? withDelay(text, d) : text, params);
      } catch (err) {
        if (!(err instanceof Error) || !ACQUIRE_TIMEOUT.test(err.message)) throw err;
        const timeout = new PoolTimeoutError(Math.round(performance.now() - started), err);
        log.warn({ err: err.message, waitedMs: timeout.waitedMs }, timeout.message);
        throw timeout;
      }
    },
  };
}
