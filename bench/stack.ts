/** The real stack the benchmark runs against, all on free ports (never the default ones others may use). */
import { freePort, startBackends, type CollectorInstance, type JaegerInstance } from '../stack/src/index.ts';

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
  const b = await startBackends({ postgresSettings: { max_connections: '200' } });
  const { collector, jaeger } = b;
  return {
    // PARTNER_URL: the api needs one at start; the benchmark's route never calls it.
    env: { ...b.env, PARTNER_URL: 'http://127.0.0.1:9' },
    collector,
    jaeger,
    appPort: await freePort(),
    pids: { collector: collector.process.pid, jaeger: jaeger.process.pid },
    groups: [collector.process.pid, jaeger.process.pid, b.postgres.process.pid, b.redis.process.pid],
    stop: () => b.stop(),
  };
}
