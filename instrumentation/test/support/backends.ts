/**
 * Real backends for the preload tests, on free ports so they never clash with a running demo:
 * PostgreSQL, Redis, Jaeger and the Collector (sending to that Jaeger), from the stack library.
 */
import { startBackends as startRunning } from '../../../stack/src/index.ts';

/** Running backends and the env an instrumented app needs to use them. */
export interface Backends {
  /** PG*, REDIS_URL, OTEL_EXPORTER_OTLP_ENDPOINT, fast batch delay. */
  env: Record<string, string>;
  /** Jaeger query base URL. */
  jaeger: string;
  stop(): Promise<void>;
}

/** Starts the four backends (about 2 s), with a short batch delay so spans reach Jaeger quickly. */
export async function startBackends(): Promise<Backends> {
  const b = await startRunning();
  return { env: { ...b.env, OTEL_BSP_SCHEDULE_DELAY: '200' }, jaeger: b.jaeger.queryUrl, stop: () => b.stop() };
}
