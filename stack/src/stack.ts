/**
 * The whole native stack on the ports table: PostgreSQL, Redis, Toxiproxy (between the api and its
 * dependencies), Jaeger, VictoriaLogs and Zipkin (started side by side), then the Zipkin bridge, then the Collector, then Alertmanager and Prometheus, then the demo
 * fleet, then the load. Stops in reverse order.
 */
import { ALERTMANAGER_PORT, startAlertmanager, type AlertmanagerInstance } from './alertmanager.ts';
import { startStatusWebhook, type StatusWebhookInstance } from './status-webhook.ts';
import { startCollector, type CollectorInstance } from './collector.ts';
import { startFleet, type Fleet, type LoadOptions } from './fleet.ts';
import { startJaeger, type JaegerInstance } from './jaeger.ts';
import { logDir } from './paths.ts';
import { startPostgres, type PostgresInstance } from './postgres.ts';
import { PROMETHEUS_PORT, startPrometheus, type PrometheusInstance } from './prometheus.ts';
import type { ManagedProcess } from './process.ts';
import { startRedis, type RedisInstance } from './redis.ts';
import { startToxiproxy, type ToxiproxyInstance } from './toxiproxy.ts';
import { startTogether } from './together.ts';
import { startVictoriaLogs, type VictoriaLogsInstance } from './victorialogs.ts';
import { startZipkin, type ZipkinInstance } from './zipkin.ts';
import { startZipkinBridge, type ZipkinBridgeInstance } from './zipkin-bridge.ts';

/** Options of {@link startStack}. */
export interface StackOptions {
  /** Start the demo fleet (needs `demo-services/dist`). Default true. */
  fleet?: boolean;
  /** Start the load generator: `true` with docker-compose.yml's shape, or a {@link LoadOptions}. Default false. */
  load?: boolean | LoadOptions;
  /** Env added to every fleet service. */
  env?: Record<string, string>;
  /** Env per fleet service name, e.g. `{ 'api-1': { ... } }`. */
  serviceEnv?: Record<string, Record<string, string>>;
  /** Progress lines. Default: none. */
  log?: (line: string) => void;
  /** Start Prometheus scraping the Collector every 5 s (`prometheus/prometheus.yml`). Default true. */
  prometheus?: boolean;
  /** Start Alertmanager on 127.0.0.1:9093 and have Prometheus send it the alerts. Default: when Prometheus starts. */
  alertmanager?: boolean;
  /**
   * Store every trace in Jaeger (the Collector's `keepAllTraces`) instead of tail-sampling them.
   * Default false: the demo's sampling (collector/README.md#sampling).
   */
  keepAllTraces?: boolean;
}

/** Where to look. */
export interface StackUrls {
  /** Jaeger query API (and UI, a placeholder in the native build): `http://127.0.0.1:16686`. */
  jaegerQuery: string;
  /** Zipkin's Lens UI, the trace UI of the native run: `http://127.0.0.1:9411/zipkin/`. */
  zipkinUi: string;
  /** Zipkin's API base (`/api/v2/...`): `http://127.0.0.1:9411`. */
  zipkin: string;
  /** The Collector's OTLP/HTTP endpoint for SDKs: `http://127.0.0.1:4318`. */
  collectorOtlpHttp: string;
  /** The Collector's own metrics (otelcol_*): `http://127.0.0.1:8888/metrics`. */
  collectorMetrics: string;
  /** The Collector's Prometheus exporter (span metrics, service graph, SDK metrics): `http://127.0.0.1:8889/metrics`. */
  collectorPrometheus: string;
  /** `http://127.0.0.1:13133/`. */
  collectorHealth: string;
  /** `postgres://faultline:faultline@127.0.0.1:15432/faultline`. */
  postgres: string;
  /** `redis://127.0.0.1:16379`. */
  redis: string;
  /** The fleet's entry, `http://127.0.0.1:8080`, when the fleet runs. */
  lb?: string;
  /** Directory of every process's log file. */
  logDir: string;
  /** Prometheus (HTTP API under `/api/v1/`): `http://127.0.0.1:9090`, when started. */
  prometheus?: string;
  /** Alertmanager (UI; API under `/api/v2/`): `http://127.0.0.1:9093`, when started. */
  alertmanager?: string;
  /** VictoriaLogs, the log and event store (LogsQL under `/select/logsql/`, UI `/select/vmui`): `http://127.0.0.1:9428`. */
  logs: string;
  /** Toxiproxy's API (the chaos scenarios' toxics): `http://127.0.0.1:8474`. */
  toxiproxy: string;
}

/** A process of the stack, for people and tests. */
export interface StackService {
  /** Its pid now (a fleet service restarted by its restart policy has a new one). */
  readonly pid: number;
  logFile: string;
  port?: number;
}

/** A running stack from {@link startStack}. */
export interface Stack {
  urls: StackUrls;
  /** Every process by name (`postgres`, `redis`, `jaeger`, `collector`, `lb`, `api-1`, …). */
  services: Record<string, StackService>;
  postgres: PostgresInstance;
  redis: RedisInstance;
  jaeger: JaegerInstance;
  /** Zipkin with its Lens UI (a view of the traces; Jaeger is the store of record). */
  zipkin: ZipkinInstance;
  /** The second Collector that feeds Zipkin. */
  zipkinBridge: ZipkinBridgeInstance;
  collector: CollectorInstance;
  victorialogs: VictoriaLogsInstance;
  /** The fault injector the api reaches PostgreSQL, Redis and the partner through (toxiproxy/proxies.json). */
  toxiproxy: ToxiproxyInstance;
  prometheus?: PrometheusInstance;
  alertmanager?: AlertmanagerInstance;
  /** `faultline status webhook`, Alertmanager's status-timeline receiver (started with Alertmanager). */
  statusWebhook?: StatusWebhookInstance;
  fleet?: Fleet;
  /** ms from call to everything ready. */
  readyMs: number;
  /** Stops the load and fleet, then the Collector (it drains to Jaeger, VictoriaLogs and the bridge), then the bridge and the rest. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the native stack. On any failure, stops whatever it had started and rethrows.
 * @throws Error from the first part that failed (port taken, binary missing, not ready: log tail quoted).
 */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const stops: Array<() => Promise<void>> = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of stops.reverse()) {
        try {
          await s();
        } catch (e) {
          log(`stop: ${(e as Error).message}`);
        }
      }
    })());
  const track = <T extends { stop(): Promise<void>; readyMs?: number }>(what: string, p: Promise<T>) =>
    p.then((x) => {
      stops.push(() => x.stop());
      if (x.readyMs !== undefined) log(`started ${what} in ${x.readyMs} ms`);
      return x;
    });
  try {
    const [postgres, redis, toxiproxy, jaeger, victorialogs, zipkin] = await startTogether([
      track('postgres', startPostgres()),
      track('redis', startRedis()),
      track('toxiproxy', startToxiproxy()),
      // Jaeger's Monitor tab reads the span metrics from the Prometheus started below.
      // Its traces on disk survive a stop/start of the demo (until they expire: JAEGER_TTL, 48 h).
      track('jaeger', startJaeger({ keepData: true, env: { JAEGER_PROMETHEUS_URL: `http://127.0.0.1:${PROMETHEUS_PORT}` } })),
      track('victorialogs', startVictoriaLogs()),
      track('zipkin', startZipkin()),
    ] as const);
    const zipkinBridge = await track('zipkin bridge', startZipkinBridge({ zipkinUrl: zipkin.url }));
    const collector = await track(
      'collector',
      startCollector({
        jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint,
        zipkinBridgeOtlpEndpoint: zipkinBridge.otlpGrpcEndpoint,
        keepAllTraces: opts.keepAllTraces,
        env: { VICTORIALOGS_OTLP_LOGS_URL: victorialogs.otlpLogsUrl },
      }),
    );
    const withPrometheus = opts.prometheus ?? true;
    const withAlertmanager = opts.alertmanager ?? withPrometheus;
    // Every alert fired and resolved onto the status timeline, through the Collector.
    const statusWebhook = withAlertmanager
      ? await track('status-webhook', startStatusWebhook({ collectorUrl: collector.otlpHttpUrl }))
      : undefined;
    const alertmanager = withAlertmanager
      ? await track('alertmanager', startAlertmanager({ statusWebhookUrl: statusWebhook?.url }))
      : undefined;
    const prometheus = withPrometheus
      ? await track(
          'prometheus',
          startPrometheus({ collectorPorts: collector.ports, alertmanager: alertmanager ? `127.0.0.1:${ALERTMANAGER_PORT}` : undefined }),
        )
      : undefined;
    let fleet: Fleet | undefined;
    if (opts.fleet ?? true) {
      fleet = await startFleet({ load: opts.load, env: opts.env, serviceEnv: opts.serviceEnv, log });
      stops.push(() => fleet!.stop());
    }
    const services: Record<string, StackService> = {};
    const add = (name: string, p: ManagedProcess, port?: number) => (services[name] = { pid: p.pid, logFile: p.logFile, port });
    add('postgres', postgres.process, postgres.port);
    add('redis', redis.process, redis.port);
    add('toxiproxy', toxiproxy.process, toxiproxy.port);
    add('jaeger', jaeger.process, jaeger.ports.query);
    add('zipkin', zipkin.process, zipkin.port);
    add('zipkin-bridge', zipkinBridge.process, zipkinBridge.ports.otlpGrpc);
    add('collector', collector.process, collector.ports.otlpHttp);
    add('victorialogs', victorialogs.process, victorialogs.port);
    if (prometheus) add('prometheus', prometheus.process, prometheus.port);
    if (alertmanager) add('alertmanager', alertmanager.process, alertmanager.port);
    if (statusWebhook) add('status-webhook', statusWebhook.process, statusWebhook.port);
    // A fleet service's pid is its current process's (a restart starts a new one).
    for (const s of fleet?.services ?? [])
      services[s.name] = {
        get pid() {
          return s.process.pid;
        },
        logFile: s.process.logFile,
        port: s.port,
      };
    const lb = fleet?.services.find((s) => s.name === 'lb');
    return {
      urls: {
        jaegerQuery: jaeger.queryUrl,
        zipkinUi: zipkin.uiUrl,
        zipkin: zipkin.url,
        collectorOtlpHttp: collector.otlpHttpUrl,
        collectorMetrics: collector.metricsUrl,
        collectorPrometheus: collector.prometheusUrl,
        collectorHealth: collector.healthUrl,
        postgres: postgres.url,
        redis: redis.url,
        lb: lb?.port ? `http://127.0.0.1:${lb.port}` : undefined,
        logDir: logDir(),
        prometheus: prometheus?.url,
        alertmanager: alertmanager?.url,
        logs: victorialogs.url,
        toxiproxy: toxiproxy.url,
      },
      services,
      postgres,
      redis,
      jaeger,
      zipkin,
      zipkinBridge,
      collector,
      victorialogs,
      toxiproxy,
      prometheus,
      alertmanager,
      statusWebhook,
      fleet,
      readyMs: Date.now() - t0,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
