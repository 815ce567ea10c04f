/**
 * api: express on a pg.Pool (PostgreSQL) with a Redis cache in front of item reads, a partner
 * client (undici, timeout, retries) and a BullMQ queue. See README.md for its env vars; every timeout
 * is in timeouts.ts.
 */
import http from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { adminHandler } from '../shared/admin.ts';
import { ensureSchema } from '../shared/db.ts';
import { hostEnv, intEnv, strEnv } from '../shared/env.ts';
import { close, listen } from '../shared/http.ts';
import { createLogger } from '../shared/log.ts';
import { onShutdown } from '../shared/shutdown.ts';
import { createDb } from './db.ts';
import { createItemStore } from './items.ts';
import { createPartnerClient } from './partner-client.ts';
import { createPriceStore } from './prices.ts';
import { createApp } from './routes.ts';
import { apiScenarios } from './scenarios.ts';
import { apiTimeouts } from './timeouts.ts';

const INSTANCE = strEnv('INSTANCE', 'api-1');
const log = createLogger('api');
const REDIS_URL = strEnv('REDIS_URL', 'redis://127.0.0.1:16379');
// The cache may sit behind another address than the queue (compose: through Toxiproxy).
const CACHE_REDIS_URL = strEnv('CACHE_REDIS_URL', REDIS_URL);
const timeouts = apiTimeouts();

// node-postgres reads PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE itself; the demo's defaults:
process.env['PGHOST'] ??= '127.0.0.1';
process.env['PGPORT'] ??= '15432';
process.env['PGUSER'] ??= 'faultline';
process.env['PGPASSWORD'] ??= 'faultline';
process.env['PGDATABASE'] ??= 'faultline';

const pool = new pg.Pool({
  max: intEnv('PG_POOL_MAX', 10, 1),
  connectionTimeoutMillis: timeouts.poolAcquireMs,
  query_timeout: timeouts.queryMs,
  statement_timeout: timeouts.statementMs,
});
pool.on('error', (err) => log.warn({ err: err.message }, 'idle pg client error'));
// The cache fails fast when Redis is away (a short command timeout, also for commands queued while
// reconnecting): the routes then go to PostgreSQL (cache-fallback.ts). Reconnects back off up to 1 s.
// The offline queue stays on: a command ioredis rejects synchronously (offline queue off) ends no span.
const redis = new Redis(CACHE_REDIS_URL, {
  maxRetriesPerRequest: 1,
  commandTimeout: timeouts.cacheCommandMs,
  connectTimeout: timeouts.cacheConnectMs,
  retryStrategy: (times) => Math.min(times * 100, 1000),
});
let redisErrors = 0;
redis.on('error', (err) => {
  // Logged once per outage, not once per reconnect attempt.
  if (redisErrors++ === 0) log.warn({ err: err.message }, 'redis error');
});
redis.on('ready', () => (redisErrors = 0));
const queue = new Queue(strEnv('QUEUE_NAME', 'orders'), { connection: { url: REDIS_URL } });

await ensureSchema(pool);
const scenarios = apiScenarios(pool, REDIS_URL, INSTANCE, log);
const db = createDb(pool, scenarios.dbDelayMs, log);
const app = createApp({
  instance: INSTANCE,
  db,
  items: createItemStore(redis, db, intEnv('CACHE_TTL_S', 30, 1)),
  prices: createPriceStore(redis, db, intEnv('PRICE_TTL_S', 300, 1)),
  partner: createPartnerClient({
    baseUrl: strEnv('PARTNER_URL', 'http://127.0.0.1:8090'),
    connectTimeoutMs: timeouts.partnerConnectMs,
    timeoutMs: timeouts.partnerReadMs,
    retries: timeouts.partnerRetries,
    breakerErrorPercent: intEnv('BREAKER_ERROR_PERCENT', 50, 1),
    breakerResetMs: intEnv('BREAKER_RESET_MS', 5000, 1),
  }),
  queue,
  healthTimeoutMs: timeouts.healthMs,
  log,
  onRequest: scenarios.onRequest,
});
const admin = adminHandler(scenarios.board, log);
const httpServer = http.createServer((req, res) => {
  if (!admin(req, res)) app(req, res);
});
const PORT = intEnv('PORT', 8081, 1);
await listen(httpServer, PORT, hostEnv());
log.info({ port: PORT, instance: INSTANCE, poolMax: pool.options.max, timeouts }, 'api listening');
onShutdown(log, [
  () => close(httpServer),
  async () => {
    for (const s of scenarios.board.states()) if (s.on) await scenarios.board.set(s.name, false);
  },
  () => queue.close(),
  () => redis.quit(),
  () => pool.end(),
]);
