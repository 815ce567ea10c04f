/**
 * Scenario `pool-exhaustion` (seed incident 1): slow report queries (`SELECT pg_sleep(…)`), more of
 * them than the pool has connections, run back to back. They hold every connection, requests and the
 * health check wait for the pool (and time out), and the load balancer ejects this replica. The
 * queries are attributed to client `reports` and grouped under a `report slow-query` span each.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { sleep } from '../shared/http.ts';
import { asClient, tracer } from '../shared/otel.ts';
import type { ScenarioHandler } from '../shared/switchboard.ts';

/** Knobs of {@link slowReports}. */
export interface SlowReportOptions {
  /** Report queries running at once (more than the pool's max keeps it full). */
  queries: number;
  /** Duration of each query, ms. */
  sleepMs: number;
}

/** The scenario's handler: `start` launches the report loops, `stop` lets them finish their current query. */
export function slowReports(pool: pg.Pool, opts: SlowReportOptions, log: Logger): ScenarioHandler {
  const t = tracer('api');
  let generation = 0;
  const loop = async (gen: number) => {
    while (gen === generation) {
      await asClient('reports', () =>
        t.startActiveSpan('report slow-query', async (span) => {
          try {
            await pool.query('SELECT pg_sleep($1)', [opts.sleepMs / 1000]);
          } catch (err) {
            span.recordException(err as Error);
            await sleep(100);
          } finally {
            span.end();
          }
        }),
      );
    }
  };
  return {
    start() {
      const gen = ++generation;
      log.warn({ queries: opts.queries, sleepMs: opts.sleepMs }, 'pool-exhaustion: slow report queries started');
      for (let i = 0; i < opts.queries; i++) void loop(gen);
    },
    stop() {
      generation++;
    },
  };
}
