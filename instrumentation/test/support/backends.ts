/**
 * Real backends for the preload tests, on free ports so they never clash with a running demo:
 * PostgreSQL, Redis, Jaeger and the Collector (sending to that Jaeger), from the stack library.
 */
import { freePorts, startCollector, startJaeger, startPostgres, startRedis } from '../../../stack/src/index.ts';

/** Running backends and the env an instrumented app needs to use them. */
export interface Backends {
  /** PG*, REDIS_URL, OTEL_EXPORTER_OTLP_ENDPOINT, fast batch delay. */
  env: Record<string, string>;
  /** Jaeger query base URL. */
  jaeger: string;
  stop(): Promise<void>;
}

/** Starts the four backends (about 2 s). */
export async function startBackends(): Promise<Backends> {
  const [pg, redis, cGrpc, cHttp, cHealth, cProm, cMetrics, jGrpc, jHttp, jQuery, jQueryGrpc, jHealth, jMetrics] = await freePorts(13);
  const [postgres, redisI, jaeger] = await Promise.all([
    startPostgres({ port: pg! }),
    startRedis({ port: redis! }),
    startJaeger({ ports: { otlpGrpc: jGrpc!, otlpHttp: jHttp!, query: jQuery!, queryGrpc: jQueryGrpc!, health: jHealth!, metrics: jMetrics! } }),
  ]);
  const collector = await startCollector({
    ports: { otlpGrpc: cGrpc!, otlpHttp: cHttp!, health: cHealth!, prometheus: cProm!, metrics: cMetrics! },
    jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint,
  });
  return {
    env: {
      ...postgres.env,
      REDIS_URL: `redis://127.0.0.1:${redisI.port}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
    jaeger: jaeger.queryUrl,
    async stop() {
      await collector.stop();
      await Promise.all([jaeger.stop(), redisI.stop(), postgres.stop()]);
    },
  };
}
