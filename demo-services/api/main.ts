/**
 * api: express on a pg.Pool (PostgreSQL) with a Redis cache in front of item reads, a partner
 * client (undici, timeout, retries) and a BullMQ queue. See README.md for its env vars.
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

const INSTANCE = strEnv('INSTANCE', 'api-1');
const log = createLogger('api');
const REDIS_URL = strEnv('REDIS_URL', 'redis://127.0.0.1:56379');

// node-postgres reads PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE itself; the demo's defaults:
process.env['PGHOST'] ??= '127.0.0.1';
process.env['PGPORT'] ??= '55432';
process.env['PGUSER'] ??= 'faultline';
process.env['PGPASSWORD'] ??= 'faultline';
process.env['PGDATABASE'] ??= 'faultline';

const pool = new pg.Pool({
  max: intEnv('PG_POOL_MAX', 10, 1),
  connectionTimeoutMillis: intEnv('PG_CONNECTION_TIMEOUT_MS', 2000, 1),
});
pool.on('error', (err) => log.warn({ err: err.message }, 'idle pg client error'));
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
redis.on('error', (err) => log.warn({ err: err.message }, 'redis error'));
const queue = new Queue(strEnv('QUEUE_NAME', 'orders'), { connection: { url: REDIS_URL } });

await ensureSchema(pool);
const scenarios = apiScenarios(pool, REDIS_URL, INSTANCE, log);
const db = createDb(pool, scenarios.dbDelayMs);
const app = createApp({
  instance: INSTANCE,
  db,
  items: createItemStore(redis, db, intEnv('CACHE_TTL_S', 30, 1)),
  prices: createPriceStore(redis, db, intEnv('PRICE_TTL_S', 300, 1)),
  partner: createPartnerClient({
    baseUrl: strEnv('PARTNER_URL', 'http://127.0.0.1:8090'),
    timeoutMs: intEnv('PARTNER_TIMEOUT_MS', 800, 1),
    retries: intEnv('PARTNER_RETRIES', 2),
    breakerErrorPercent: intEnv('BREAKER_ERROR_PERCENT', 50, 1),
    breakerResetMs: intEnv('BREAKER_RESET_MS', 5000, 1),
  }),
  queue,
  healthTimeoutMs: intEnv('HEALTH_TIMEOUT_MS', 400, 1),
  log,
  onRequest: scenarios.onRequest,
});
const admin = adminHandler(scenarios.board, log);
const httpServer = http.createServer((req, res) => {
  if (!admin(req, res)) app(req, res);
});
const PORT = intEnv('PORT', 8081, 1);
await listen(httpServer, PORT, hostEnv());
log.info({ port: PORT, instance: INSTANCE, poolMax: pool.options.max }, 'api listening');
onShutdown(log, [
  () => close(httpServer),
  async () => {
    for (const s of scenarios.board.states()) if (s.on) await scenarios.board.set(s.name, false);
  },
  () => queue.close(),
  () => redis.quit(),
  () => pool.end(),
]);
