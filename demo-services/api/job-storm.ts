/**
 * Scenario `job-storm`: a batch of background `reports` jobs, enqueued at once (attributed to client
 * `nightly-reports`), processed inside this api replica by a BullMQ worker whose jobs each hold a
 * connection of the api's own pool for a while: request traffic waits for connections.
 */
import { Queue, Worker } from 'bullmq';
import type pg from 'pg';
import type { Logger } from 'pino';
import { asClient } from '../shared/otel.ts';
import type { ScenarioHandler } from '../shared/switchboard.ts';

/** Knobs of {@link jobStorm}. */
export interface JobStormOptions {
  redisUrl: string;
  /** Queue of the report jobs. */
  queueName: string;
  /** Jobs this replica enqueues when switched on. */
  batch: number;
  /** Jobs this replica runs at once. */
  concurrency: number;
  /** Time each job holds its connection (`pg_sleep`), ms. */
  jobMs: number;
  /** This replica's name, recorded in each job. */
  instance: string;
}

/** The scenario's handler: `start` enqueues the batch and starts consuming it; `stop` closes the worker and drains the queue. */
export function jobStorm(pool: pg.Pool, opts: JobStormOptions, log: Logger): ScenarioHandler {
  let queue: Queue | undefined;
  let worker: Worker | undefined;
  return {
    async start() {
      queue = new Queue(opts.queueName, { connection: { url: opts.redisUrl } });
      worker = new Worker(
        opts.queueName,
        async () => {
          await pool.query('SELECT pg_sleep($1), count(*) FROM items', [opts.jobMs / 1000]);
        },
        { connection: { url: opts.redisUrl }, concurrency: opts.concurrency },
      );
      worker.on('error', (err) => log.warn({ err: err.message }, 'job-storm worker error'));
      const jobs = Array.from({ length: opts.batch }, (_, i) => ({
        name: 'nightly-report',
        data: { n: i, by: opts.instance },
        opts: { removeOnComplete: true, removeOnFail: 100 },
      }));
      const q = queue;
      await asClient('nightly-reports', () => q.addBulk(jobs));
      log.warn({ batch: opts.batch, concurrency: opts.concurrency }, 'job-storm: report batch enqueued');
    },
    async stop() {
      const [q, w] = [queue, worker];
      queue = worker = undefined;
      await w?.close();
      await q?.drain().catch((err: Error) => log.warn({ err: err.message }, 'job-storm drain failed'));
      await q?.close();
    },
  };
}
