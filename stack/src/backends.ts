/**
 * The backends an instrumented app needs — PostgreSQL, Redis, Jaeger, VictoriaLogs and the Collector
 * (exporting spans to that Jaeger, logs to that VictoriaLogs) — on free ports, so they never clash with a running demo or another test. Used by
 * the preload tests and the benchmark; `startStack` is the fixed-port variant with the fleet.
 */
import { startCollector, type CollectorInstance } from './collector.ts';
import { startJaeger, type JaegerInstance } from './jaeger.ts';
import { freePorts } from './ports.ts';
import { startPostgres, type PostgresInstance } from './postgres.ts';
import { startRedis, type RedisInstance } from './redis.ts';
import { startVictoriaLogs, type VictoriaLogsInstance } from './victorialogs.ts';
import { startTogether } from './together.ts';

/** Options of {@link startBackends}. */
export interface BackendsOptions {
  /** PostgreSQL settings (`postgresql.conf` names), e.g. `{ max_connections: '200' }`. Default: none. */
  postgresSettings?: Record<string, string>;
}

/** Running backends. */
export interface RunningBackends {
  postgres: PostgresInstance;
  redis: RedisInstance;
  jaeger: JaegerInstance;
  /** The log and event store the Collector's logs pipeline feeds. */
  victorialogs: VictoriaLogsInstance;
  collector: CollectorInstance;
  /** Env an app needs to use them: PG*, `REDIS_URL`, `OTEL_EXPORTER_OTLP_ENDPOINT` (Collector, OTLP/HTTP). */
  env: Record<string, string>;
  /** Stops the Collector first (it flushes to Jaeger), then the rest. */
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL, Redis, Jaeger and VictoriaLogs in parallel, then the Collector; about 2 s with warm
 * caches. The Collector keeps every trace (`keepAllTraces`): the tests look for each trace their app made.
 */
export async function startBackends(opts: BackendsOptions = {}): Promise<RunningBackends> {
  const [pg, redisPort, cGrpc, cHttp, cHealth, cProm, cMetrics, jGrpc, jHttp, jQuery, jQueryGrpc, jHealth, jMetrics, vl] =
    await freePorts(14);
  const [postgres, redis, jaeger, victorialogs] = await startTogether([
    startPostgres({ port: pg!, ...(opts.postgresSettings ? { settings: opts.postgresSettings } : {}) }),
    startRedis({ port: redisPort! }),
    startJaeger({
      ports: { otlpGrpc: jGrpc!, otlpHttp: jHttp!, query: jQuery!, queryGrpc: jQueryGrpc!, health: jHealth!, metrics: jMetrics! },
    }),
    startVictoriaLogs({ port: vl! }),
  ]);
  const stopStores = () => Promise.all([jaeger.stop(), victorialogs.stop(), redis.stop(), postgres.stop()]);
  const collector = await startCollector({
    ports: { otlpGrpc: cGrpc!, otlpHttp: cHttp!, health: cHealth!, prometheus: cProm!, metrics: cMetrics! },
    jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint,
    env: { VICTORIALOGS_OTLP_LOGS_URL: victorialogs.otlpLogsUrl },
    keepAllTraces: true,
  }).catch(async (e: unknown) => {
    await stopStores().catch(() => undefined);
    throw e;
  });
  return {
    postgres,
    redis,
    jaeger,
    victorialogs,
    collector,
    env: { ...postgres.env, REDIS_URL: `redis://127.0.0.1:${redis.port}`, OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl },
    async stop() {
      await collector.stop();
      await stopStores();
    },
  };
}
