/**
 * worker: a BullMQ worker for the `orders` queue. Each job marks its order processed through the
 * worker's own pg.Pool. With the preload, the job's span continues the trace of the request that
 * enqueued it and keeps its client ID. See README.md for its env vars.
 */
import http from 'node:http';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { adminHandler } from '../shared/admin.ts';
import { hostEnv, intEnv, numEnv, strEnv } from '../shared/env.ts';
import { close, listen, sleep } from '../shared/http.ts';
import { createLogger } from '../shared/log.ts';
import { onShutdown } from '../shared/shutdown.ts';
import { Switchboard } from '../shared/switchboard.ts';
import { cacheFiller } from './cache-filler.ts';

const log = createLogger('worker');
const REDIS_URL = strEnv('REDIS_URL', 'redis://127.0.0.1:16379');
const WORK_MS = intEnv('JOB_WORK_MS', 20);
process.env['PGHOST'] ??= '127.0.0.1';
process.env['PGPORT'] ??= '15432';
process.env['PGUSER'] ??= 'faultline';
process.env['PGPASSWORD'] ??= 'faultline';
process.env['PGDATABASE'] ??= 'faultline';

const pool = new pg.Pool({ max: intEnv('PG_POOL_MAX', 5, 1), connectionTimeoutMillis: intEnv('PG_CONNECTION_TIMEOUT_MS', 2000, 1) });
pool.on('error', (err) => log.warn({ err: err.message }, 'idle pg client error'));

let processed = 0;
let failed = 0;
const worker = new Worker(
  strEnv('QUEUE_NAME', 'orders'),
  async (job: Job<{ orderId: string }>) => {
    await pool.query("UPDATE orders SET status = 'processed' WHERE id = $1", [job.data.orderId]);
    await sleep(WORK_MS);
    return { orderId: job.data.orderId };
  },
  { connection: { url: REDIS_URL }, concurrency: intEnv('WORKER_CONCURRENCY', 4, 1) },
);
worker.on('completed', () => processed++);
worker.on('failed', (job, err) => {
  failed++;
  log.warn({ jobId: job?.id, err: err.message }, 'job failed');
});
worker.on('error', (err) => log.warn({ err: err.message }, 'worker error'));

const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
redis.on('error', (err) => log.warn({ err: err.message }, 'redis error'));
const board = new Switchboard('worker', {
  'cache-eviction': cacheFiller(
    redis,
    {
      victim: strEnv('SCENARIO_CACHE_VICTIM', 'team-03'),
      headroomMb: numEnv('SCENARIO_CACHE_HEADROOM_MB', 6),
      fillMbPerS: numEnv('SCENARIO_CACHE_FILL_MB_PER_S', 2),
      tickMs: intEnv('SCENARIO_CACHE_TICK_MS', 500, 50),
    },
    log,
  ),
});
const scenarios = adminHandler(board, log);

const admin = http.createServer((req, res) => {
  if (scenarios(req, res)) return;
  res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'ok', processed, failed }));
});
const PORT = intEnv('PORT', 8091, 1);
await listen(admin, PORT, hostEnv());
log.info({ port: PORT }, 'worker running');
onShutdown(log, [
  () => close(admin),
  async () => {
    if (board.isOn('cache-eviction')) await board.set('cache-eviction', false);
  },
  () => worker.close(),
  () => redis.quit(),
  () => pool.end(),
]);
