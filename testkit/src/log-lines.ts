/** Waiting for log records to reach the log store (VictoriaLogs), as the log tests do. */
import { logs, type LogLine } from '@faultline/signals';
import { eventually } from './eventually.ts';

/**
 * Polls `logsql` every 500 ms until the store holds at least `atLeast` records for it.
 * @param base - VictoriaLogs base URL.
 * @param logsql - the LogsQL query (see signals' `logs.query`).
 * @param atLeast - how many records to wait for.
 * @param timeoutMs - give up after this long (default 30 s).
 * @returns the records found (at most 10).
 * @throws Error naming the query when they did not arrive in time.
 */
export function logLinesEventually(base: string, logsql: string, atLeast: number, timeoutMs = 30_000): Promise<LogLine[]> {
  return eventually(
    `${atLeast} log lines for ${logsql}`,
    async () => {
      const found = await logs.query(base, logsql, { limit: 10 });
      return found.length >= atLeast ? found : undefined;
    },
    timeoutMs,
    500,
  );
}
