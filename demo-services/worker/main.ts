/**
 * worker: a BullMQ worker for the `orders` queue. Each job marks its order processed through the
 * worker's own pg.Pool. With the preload, the job's span continues the trace of the request that
 * enqueued it and keeps its client ID. See README.md for its env vars.
 */
import http from 'node:http';
import { Worker, type Job } from 'bullmq';
import pg from 'pg';
import { hostEnv, intEnv, strEnv } from '../shared/env.ts';
import { close, listen, sleep } from '../shared/http.ts';
import { createLogger } from '../shared/log.ts';
import { onShutdown } from '../shared/shutdown.ts';

const log = createLogger('worker');
const REDIS_URL = strEnv('REDIS_URL', 'redis://127.0.0.1:56379');
const WORK_MS = intEnv('JOB_WORK_MS', 20);
process.env['PGHOST'] ??= '127.0.0.1';
process.env['PGPORT'] ??= '55432';
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

const admin = http.createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'ok', processed, failed }));
});
const PORT = intEnv('PORT', 8091, 1);
await listen(admin, PORT, hostEnv());
log.info({ port: PORT }, 'worker running');
onShutdown(log, [() => close(admin), () => worker.close(), () => pool.end()]);
