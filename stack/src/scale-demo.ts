/**
 * `npm run demo -- --profile scale`: the demo fleet on the scale profile instead of the single
 * Collector and Jaeger. PostgreSQL, Redis and Toxiproxy (the fleet reaches PostgreSQL, its cache and
 * the partner through its proxies, toxiproxy/proxies.json, as in the default profile), the scale
 * pipeline on its native ports (scale.ts: agent OTLP 4327/4328, Jaeger query 16687), Prometheus on
 * prometheus/scale.yml (every Collector and Jaeger role), then the fleet sending to the agent, then the
 * load. Stops in reverse order.
 */
import { startFleet, type Fleet, type LoadOptions } from './fleet.ts';
import { PROMETHEUS_SCALE_CONFIG } from './paths.ts';
import { startPostgres } from './postgres.ts';
import { startPrometheus, type PrometheusInstance } from './prometheus.ts';
import { startRedis } from './redis.ts';
import { SCALE_FIXED_PORTS, startScale, type ScaleStack } from './scale.ts';
import { startTogether } from './together.ts';
import { startToxiproxy } from './toxiproxy.ts';

/** Options of {@link startScaleDemo}. */
export interface ScaleDemoOptions {
  /** Start the demo fleet (needs `demo-services/dist`). Default true. */
  fleet?: boolean;
  /** Start the load generator: `true` with docker-compose.yml's shape, or a {@link LoadOptions}. Default false. */
  load?: boolean | LoadOptions;
  /** Progress lines (each piece, its port, its heap). Default: none. */
  log?: (line: string) => void;
}

/** The running scale demo. */
export interface ScaleDemo {
  scale: ScaleStack;
  prometheus: PrometheusInstance;
  fleet?: Fleet;
  /** ms from call to everything ready. */
  readyMs: number;
  /** Stops the load and the fleet, then Prometheus, the pipeline (agent first) and the databases. */
  stop(): Promise<void>;
}

/** The port of the scale profile's Prometheus (compose's `prometheus-scale`). */
export const SCALE_PROMETHEUS_PORT = 9091;

/**
 * Starts the scale demo on its fixed ports.
 * @throws Error from the first piece that failed (port taken, binary missing, not ready: log tail quoted); what started is stopped.
 */
export async function startScaleDemo(opts: ScaleDemoOptions = {}): Promise<ScaleDemo> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e: Error) => log(`stop: ${e.message}`));
  };
  try {
    const [postgres, redis, toxiproxy] = await startTogether([startPostgres(), startRedis(), startToxiproxy()]);
    stops.push(
      () => redis.stop(),
      () => postgres.stop(),
      () => toxiproxy.stop(),
    );
    log(`started postgres, redis and toxiproxy`);
    const scale = await startScale({ ports: 'fixed', log });
    stops.push(() => scale.stop());
    const prometheus = await startPrometheus({
      port: SCALE_PROMETHEUS_PORT,
      configFile: PROMETHEUS_SCALE_CONFIG,
      targets: scale.scrapeTargets,
    });
    stops.push(() => prometheus.stop());
    log(`prometheus ${prometheus.url} scrapes ${Object.keys(scale.scrapeTargets).length} targets (prometheus/scale.yml)`);
    let fleet: Fleet | undefined;
    if (opts.fleet ?? true) {
      fleet = await startFleet({
        load: opts.load,
        // the agent takes traces and metrics; the profile has no log store
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${SCALE_FIXED_PORTS.agent.otlpHttp}`, OTEL_LOGS_EXPORTER: 'none' },
        log,
      });
      stops.push(() => fleet!.stop());
    }
    return { scale, prometheus, fleet, readyMs: Date.now() - t0, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
