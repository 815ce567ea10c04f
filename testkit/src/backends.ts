/**
 * Real backends for tests, on free ports so they never clash with a running demo or another test:
 * PostgreSQL, Redis, Jaeger, VictoriaLogs and the Collector (sending to them), from `@faultline/stack`'s
 * `startBackends`, with a short batch delay so spans reach Jaeger quickly.
 */
import { startBackends as startRunning } from '@faultline/stack';

/** `OTEL_BSP_SCHEDULE_DELAY` the apps get, ms (the SDK's default is 5000; faultline's 1000). */
export const BATCH_DELAY_MS = 200;

/** Running backends and the env an instrumented app needs to use them. */
export interface Backends {
  /** `PG*`, `REDIS_URL`, `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_BSP_SCHEDULE_DELAY` and `OTEL_BLRP_SCHEDULE_DELAY` ({@link BATCH_DELAY_MS}). */
  env: Record<string, string>;
  /** Jaeger's query API base URL, e.g. `http://127.0.0.1:<port>`. */
  jaeger: string;
  /** VictoriaLogs' base URL (LogsQL at `/select/logsql/query`), where the Collector sends log records. */
  logs: string;
  /** Stops the Collector first (it flushes to Jaeger), then the rest. */
  stop(): Promise<void>;
}

/**
 * Starts the backends: PostgreSQL, Redis, Jaeger, VictoriaLogs, the Collector (about 2 s with warm caches).
 * @throws Error when one of them cannot start (its log tail quoted, see `@faultline/stack`).
 */
export async function startBackends(): Promise<Backends> {
  const b = await startRunning();
  const delay = String(BATCH_DELAY_MS);
  return {
    env: { ...b.env, OTEL_BSP_SCHEDULE_DELAY: delay, OTEL_BLRP_SCHEDULE_DELAY: delay },
    jaeger: b.jaeger.queryUrl,
    logs: b.victorialogs.url,
    stop: () => b.stop(),
  };
}
