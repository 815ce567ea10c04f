/**
 * Every timeout and the retry policy of the api, in one place: short on purpose (seed 1: "aggressive
 * timeouts"), so that a dependency that hangs costs a request a bounded time and fails with a name. Each
 * knob is an env var with its default. The timeout that fired is named in `error.type` on the span of
 * the operation that timed out: the preload sets `pg.pool.acquire_timeout`, `pg.query_timeout`,
 * `pg.statement_timeout`, `redis.command_timeout` (instrumentation/src/semconv.ts), undici its own
 * `UND_ERR_CONNECT_TIMEOUT`, `UND_ERR_HEADERS_TIMEOUT`, `UND_ERR_BODY_TIMEOUT`.
 */
import { intEnv } from '../shared/env.ts';

/** The api's timeouts (ms) and retry policy. */
export interface ApiTimeouts {
  /** Wait for a pool connection, including connecting (pg `connectionTimeoutMillis`; `PG_CONNECTION_TIMEOUT_MS`, default 2000). */
  poolAcquireMs: number;
  /** Client-side wait for a query's answer (pg `query_timeout`; `PG_QUERY_TIMEOUT_MS`, default 3000): the backstop when PostgreSQL cannot be reached. */
  queryMs: number;
  /** Server-side statement limit (PostgreSQL `statement_timeout`; `PG_STATEMENT_TIMEOUT_MS`, default 2500). */
  statementMs: number;
  /** The health check's query deadline (`HEALTH_TIMEOUT_MS`, default 400). */
  healthMs: number;
  /** Connecting to the partner (undici `connect.timeout`; `PARTNER_CONNECT_TIMEOUT_MS`, default 300). */
  partnerConnectMs: number;
  /** Per-attempt wait for the partner's headers and body (undici `headersTimeout`/`bodyTimeout`; `PARTNER_TIMEOUT_MS`, default 800). */
  partnerReadMs: number;
  /** Partner retries after the first attempt (`PARTNER_RETRIES`, default 2), backoff 25 ms × 2^n. */
  partnerRetries: number;
  /** A cache command's answer (ioredis `commandTimeout`; `CACHE_COMMAND_TIMEOUT_MS`, default 200). */
  cacheCommandMs: number;
  /** Connecting to the cache (ioredis `connectTimeout`; `CACHE_CONNECT_TIMEOUT_MS`, default 500). */
  cacheConnectMs: number;
}

/** The timeouts from the environment (a bad value: one warning and the default). */
export function apiTimeouts(): ApiTimeouts {
  return {
    poolAcquireMs: intEnv('PG_CONNECTION_TIMEOUT_MS', 2000, 1),
    queryMs: intEnv('PG_QUERY_TIMEOUT_MS', 3000, 1),
    statementMs: intEnv('PG_STATEMENT_TIMEOUT_MS', 2500, 1),
    healthMs: intEnv('HEALTH_TIMEOUT_MS', 400, 1),
    partnerConnectMs: intEnv('PARTNER_CONNECT_TIMEOUT_MS', 300, 1),
    partnerReadMs: intEnv('PARTNER_TIMEOUT_MS', 800, 1),
    partnerRetries: intEnv('PARTNER_RETRIES', 2),
    cacheCommandMs: intEnv('CACHE_COMMAND_TIMEOUT_MS', 200, 1),
    cacheConnectMs: intEnv('CACHE_CONNECT_TIMEOUT_MS', 500, 1),
  };
}
