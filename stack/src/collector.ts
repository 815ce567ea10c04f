/**
 * faultline's OpenTelemetry Collector, natively: the binary built from collector/builder-config.yaml
 * run with collector/config.yaml (the same file docker-compose.yml mounts). Every port and address in
 * that config is an env var with a default; this module sets them.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { binaries, COLLECTOR_AUTH_CONFIG, COLLECTOR_CONFIG, requireBinary, runDir } from './paths.ts';
import { assertPortFree, freePortsExcept } from './ports.ts';
import { runToEnd, spawnManaged, type ManagedProcess, type RunResult } from './process.ts';
import { httpProbe, waitUntil } from './wait.ts';
import { ZIPKIN_BRIDGE_PORTS } from './zipkin-bridge.ts';

/** The Collector's ports on 127.0.0.1 (defaults are the native ports table). */
export interface CollectorPorts {
  /** OTLP gRPC receiver. Default 4317. */
  otlpGrpc: number;
  /** OTLP HTTP receiver. Default 4318. */
  otlpHttp: number;
  /** `health_check` extension. Default 13133. */
  health: number;
  /** `prometheus` exporter (span metrics, service graph, SDK metrics). Default 8889. */
  prometheus: number;
  /** The Collector's own metrics (otelcol_*). Default 8888. */
  metrics: number;
}

/** The native ports table. */
export const COLLECTOR_PORTS: Readonly<CollectorPorts> = Object.freeze({
  otlpGrpc: 4317,
  otlpHttp: 4318,
  health: 13133,
  prometheus: 8889,
  metrics: 8888,
});

/**
 * Five free ports on 127.0.0.1, one per {@link CollectorPorts} field: for a Collector beside the native
 * one (tests, the bench).
 * @param taken - ports chosen before and not bound yet (other pieces', another Collector's), which the
 *   result must not repeat (see {@link freePortsExcept}). Default none.
 * @throws Error if no five such ports are found in 100 picks.
 */
export async function freeCollectorPorts(taken: readonly number[] = []): Promise<CollectorPorts> {
  const [otlpGrpc, otlpHttp, health, prometheus, metrics] = await freePortsExcept(5, taken);
  return { otlpGrpc: otlpGrpc!, otlpHttp: otlpHttp!, health: health!, prometheus: prometheus!, metrics: metrics! };
}

/** Options of {@link startCollector}. */
export interface CollectorOptions {
  /** Ports to use; missing ones take {@link COLLECTOR_PORTS}. */
  ports?: Partial<CollectorPorts>;
  /** Where the `otlp_grpc/jaeger` exporter sends spans (host:port). Default `127.0.0.1:14317`. */
  jaegerOtlpEndpoint?: string;
  /**
   * Where the `otlp_grpc/zipkin_bridge` exporter sends spans (host:port of the Zipkin bridge's OTLP gRPC
   * receiver, zipkin-bridge.ts). Default `127.0.0.1:9412` on the default ports; off them (a test's
   * Collector) {@link NO_ZIPKIN_BRIDGE}, so a test's spans never reach a running demo's Zipkin.
   */
  zipkinBridgeOtlpEndpoint?: string;
  /** Config file. Default `collector/config.yaml`. */
  configFile?: string;
  /** Instance name (log `<name>.log`, storage `<runDir>/<name>/storage`). Default `collector`, or `collector-<otlpHttp port>` off the default ports. */
  name?: string;
  /** Keep the sending queue's file storage of a previous start (default false: empty). */
  keepData?: boolean;
  /**
   * Send every trace to Jaeger, decided within a second (`COLLECTOR_SAMPLING_PERCENTAGE=100`, short
   * decision waits), for tests that look for each trace they made. Default false: the config's tail
   * sampling (incident traces and a 10% share; collector/README.md).
   */
  keepAllTraces?: boolean;
  /** More env vars for the config (e.g. `COLLECTOR_LOG_LEVEL: 'debug'`); they win over the options. */
  env?: Record<string, string>;
  /** Deadline for the health check, ms. Default 30000. */
  readyTimeoutMs?: number;
  /**
   * Require this bearer token on the OTLP receiver (adds `collector/auth.yaml`). Default:
   * `FAULTLINE_COLLECTOR_TOKEN` from the environment; empty = no authentication.
   */
  token?: string;
}

/** A running Collector from {@link startCollector}. */
export interface CollectorInstance {
  ports: CollectorPorts;
  /** For SDKs: `http://127.0.0.1:<otlpHttp>` (OTLP/HTTP base URL). */
  otlpHttpUrl: string;
  /** For gRPC SDKs: `127.0.0.1:<otlpGrpc>`. */
  otlpGrpcEndpoint: string;
  /** `http://127.0.0.1:<health>/`. */
  healthUrl: string;
  /** Prometheus exporter scrape URL: `http://127.0.0.1:<prometheus>/metrics`. */
  prometheusUrl: string;
  /** The Collector's own metrics: `http://127.0.0.1:<metrics>/metrics`. */
  metricsUrl: string;
  process: ManagedProcess;
  /** ms from call to healthy. */
  readyMs: number;
  /** SIGTERM (drains its pipelines), SIGKILL after 15 s. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The tail-sampling env vars that keep every trace and decide within a second (a kept trace's late
 * spans follow it, so nothing is lost by deciding early).
 */
export const KEEP_ALL_TRACES_ENV: Readonly<Record<string, string>> = Object.freeze({
  COLLECTOR_SAMPLING_PERCENTAGE: '100',
  COLLECTOR_SAMPLING_DECISION_WAIT: '1s',
  COLLECTOR_SAMPLING_DECISION_WAIT_AFTER_ROOT: '200ms',
});

/** The native Zipkin bridge's OTLP gRPC receiver (zipkin-bridge.ts' ports table). */
const ZIPKIN_BRIDGE_OTLP_ENDPOINT = `127.0.0.1:${ZIPKIN_BRIDGE_PORTS.otlpGrpc}`;

/**
 * A bridge endpoint where nothing listens (port 0 cannot be connected to): the `otlp_grpc/zipkin_bridge`
 * exporter fails at once and drops its batches (best effort by config), Jaeger gets everything.
 */
export const NO_ZIPKIN_BRIDGE = '127.0.0.1:0';

/**
 * The env vars collector/config.yaml reads, for the given ports and options.
 * @param zipkinBridgeOtlpEndpoint - host:port of the Zipkin bridge. Default `127.0.0.1:9412`.
 */
export function collectorEnv(
  ports: CollectorPorts,
  storageDir: string,
  jaegerOtlpEndpoint: string,
  zipkinBridgeOtlpEndpoint: string = ZIPKIN_BRIDGE_OTLP_ENDPOINT,
): Record<string, string> {
  return {
    COLLECTOR_BIND: '127.0.0.1',
    COLLECTOR_OTLP_GRPC_PORT: String(ports.otlpGrpc),
    COLLECTOR_OTLP_HTTP_PORT: String(ports.otlpHttp),
    COLLECTOR_HEALTH_PORT: String(ports.health),
    COLLECTOR_PROMETHEUS_PORT: String(ports.prometheus),
    COLLECTOR_METRICS_PORT: String(ports.metrics),
    COLLECTOR_STORAGE_DIR: storageDir,
    JAEGER_OTLP_ENDPOINT: jaegerOtlpEndpoint,
    ZIPKIN_BRIDGE_OTLP_ENDPOINT: zipkinBridgeOtlpEndpoint,
  };
}

/**
 * Runs `<collector> validate --config <file>` and returns its result (exit code 0 = valid). Uses the
 * default env of collector/config.yaml plus `env`.
 * @throws Error if the Collector binary is missing.
 */
export function validateCollectorConfig(configFile: string = COLLECTOR_CONFIG, env: Record<string, string> = {}): Promise<RunResult> {
  const bin = requireBinary('the Collector', binaries().otelcol);
  return runToEnd(bin, ['validate', `--config=${configFile}`], { env, timeoutMs: 30_000 });
}

/**
 * Starts the Collector and waits for its health check.
 * @throws Error if a port is taken, the binary is missing, or it is not healthy in time (log tail quoted).
 */
export async function startCollector(opts: CollectorOptions = {}): Promise<CollectorInstance> {
  const t0 = Date.now();
  const ports: CollectorPorts = { ...COLLECTOR_PORTS, ...opts.ports };
  const isDefault = ports.otlpHttp === COLLECTOR_PORTS.otlpHttp;
  const name = opts.name ?? (isDefault ? 'collector' : `collector-${ports.otlpHttp}`);
  const bin = requireBinary('the Collector', binaries().otelcol);
  for (const [what, port] of Object.entries(ports)) await assertPortFree(port, `Collector ${what}`);
  const token = opts.token ?? process.env['FAULTLINE_COLLECTOR_TOKEN'] ?? '';
  const storageDir = join(runDir(), name, 'storage');
  if (!opts.keepData) rmSync(storageDir, { recursive: true, force: true });
  mkdirSync(storageDir, { recursive: true });
  const proc = spawnManaged({
    name,
    command: bin,
    args: [`--config=${opts.configFile ?? COLLECTOR_CONFIG}`, ...(token ? [`--config=${COLLECTOR_AUTH_CONFIG}`] : [])],
    env: {
      ...collectorEnv(
        ports,
        storageDir,
        opts.jaegerOtlpEndpoint ?? '127.0.0.1:14317',
        opts.zipkinBridgeOtlpEndpoint ?? (isDefault ? ZIPKIN_BRIDGE_OTLP_ENDPOINT : NO_ZIPKIN_BRIDGE),
      ),
      ...(token ? { FAULTLINE_COLLECTOR_TOKEN: token } : {}),
      ...(opts.keepAllTraces ? KEEP_ALL_TRACES_ENV : {}),
      ...opts.env,
    },
    graceMs: 15_000,
  });
  const stop = async () => {
    await proc.stop();
  };
  const healthUrl = `http://127.0.0.1:${ports.health}/`;
  try {
    await waitUntil(`Collector health check ${healthUrl}`, httpProbe(healthUrl), { proc, timeoutMs: opts.readyTimeoutMs ?? 30_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    ports,
    otlpHttpUrl: `http://127.0.0.1:${ports.otlpHttp}`,
    otlpGrpcEndpoint: `127.0.0.1:${ports.otlpGrpc}`,
    healthUrl,
    prometheusUrl: `http://127.0.0.1:${ports.prometheus}/metrics`,
    metricsUrl: `http://127.0.0.1:${ports.metrics}/metrics`,
    process: proc,
    readyMs: Date.now() - t0,
    stop,
  };
}
