/**
 * The api's scenario switches: `pool-exhaustion`, `db-slow`, `job-storm`, `memory-leak`, `memory-limit` (which of
 * them the CLI sends to which replica is in shared/scenarios.ts), each knob an env var.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { intEnv, strEnv } from '../shared/env.ts';
import { Switchboard } from '../shared/switchboard.ts';
import { jobStorm } from './job-storm.ts';
import { createLeak } from './leak.ts';
import { slowReports } from './slow-reports.ts';

/** The replica's switches, the `db-slow` delay to apply to each query, and the leaks' per-request hook. */
export function apiScenarios(pool: pg.Pool, redisUrl: string, instance: string, log: Logger) {
  const dbDelayMs = intEnv('SCENARIO_DB_DELAY_MS', 150, 1);
  const leak = createLeak(intEnv('SCENARIO_LEAK_KB_PER_REQUEST', 64, 1));
  // The fast leak that fills a heap limit (compose gives api-1 --max-old-space-size) within a minute.
  const oomLeak = createLeak(intEnv('SCENARIO_OOM_LEAK_KB_PER_REQUEST', 256, 1), log);
  const board = new Switchboard(instance, {
    'pool-exhaustion': slowReports(
      pool,
      {
        queries: intEnv('SCENARIO_POOL_SLOW_QUERIES', 20, 1),
        sleepMs: intEnv('SCENARIO_POOL_SLOW_QUERY_MS', 2000, 1),
      },
      log,
    ),
    'db-slow': {},
    'job-storm': jobStorm(
      pool,
      {
        redisUrl,
        queueName: strEnv('SCENARIO_JOB_QUEUE', 'reports'),
        batch: intEnv('SCENARIO_JOB_BATCH', 2500, 1),
        concurrency: intEnv('SCENARIO_JOB_CONCURRENCY', 10, 1),
        jobMs: intEnv('SCENARIO_JOB_MS', 500, 1),
        instance,
      },
      log,
    ),
    'memory-leak': leak.handler,
    'memory-limit': oomLeak.handler,
  });
  return {
    board,
    /** The delay `db-slow` adds to every query now (0 while off). */
    dbDelayMs: () => (board.isOn('db-slow') ? dbDelayMs : 0),
    onRequest: () => {
      leak.onRequest();
      oomLeak.onRequest();
    },
  };
}
