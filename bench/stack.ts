/** The real stack the benchmark runs against, all on free ports (never the default ones others may use). */
import { freePorts, startCollector, startJaeger, startPostgres, startRedis, type CollectorInstance, type JaegerInstance } from '../stack/src/index.ts';

/** A running bench stack. */
export interface BenchStack {
  /** Env for the demo api: PG*, REDIS_URL, OTEL_EXPORTER_OTLP_ENDPOINT (the Collector, OTLP/HTTP), PARTNER_URL. */
  env: Record<string, string>;
  collector: CollectorInstance;
  jaeger: JaegerInstance;
  /** A free port for the app under test. */
  appPort: number;
  /** PIDs of the Collector and Jaeger (their CPU time is read per run). */
  pids: { collector: number; jaeger: number };
  /** Process groups of everything started here (each stack process leads its own group). */
  groups: number[];
  /** Stops everything started here. */
  stop(): Promise<void>;
}

/** Starts PostgreSQL (max_connections 200), Redis, Jaeger and the Collector (collector/config.yaml, exporting to that Jaeger). */
export async function startBenchStack(): Promise<BenchStack> {
  const [pg, redis, g, h, he, pr, me, jg, jh, jq, jqg, jhe, jm, appPort] = await freePorts(14);
  const [postgres, redisI, jaeger] = await Promise.all([
    startPostgres({ port: pg!, settings: { max_connections: '200' } }),
    startRedis({ port: redis! }),
    startJaeger({ ports: { otlpGrpc: jg!, otlpHttp: jh!, query: jq!, queryGrpc: jqg!, health: jhe!, metrics: jm! } }),
  ]);
  const collector = await startCollector({
    ports: { otlpGrpc: g!, otlpHttp: h!, health: he!, prometheus: pr!, metrics: me! },
    jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint,
  });
  return {
    // PARTNER_URL: the api needs one at start; the benchmark's route never calls it.
    env: { ...postgres.env, REDIS_URL: `redis://127.0.0.1:${redisI.port}`, OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl, PARTNER_URL: 'http://127.0.0.1:9' },
    collector,
    jaeger,
    appPort: appPort!,
    pids: { collector: collector.process.pid, jaeger: jaeger.process.pid },
    groups: [collector.process.pid, jaeger.process.pid, postgres.process.pid, redisI.process.pid],
    async stop() {
      await collector.stop();
      await Promise.all([jaeger.stop(), redisI.stop(), postgres.stop()]);
    },
  };
}
