/**
 * Jaeger v2, natively: the binary built by bootstrap.sh (module v1.76.0 = Jaeger 2.13.0) run with
 * jaeger/config.yaml (the same file docker-compose.yml mounts). Traces are stored on disk by Badger
 * under `<runDir>/<name>/badger` (kept across restarts with `keepData`, expiring after `ttl`), or in memory
 * (`storage: 'memory'`, lost on stop). Its UI is a placeholder in this build; the HTTP query API (`/api/...`) is complete.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { binaries, JAEGER_CONFIG, requireBinary, runDir } from './paths.ts';
import { assertPortFree } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import { httpProbe, waitUntil } from './wait.ts';

/** Jaeger's ports on 127.0.0.1 (defaults are the native ports table). */
export interface JaegerPorts {
  /** OTLP gRPC receiver (fed by the Collector only). Default 14317. */
  otlpGrpc: number;
  /** OTLP HTTP receiver. Default 14318. */
  otlpHttp: number;
  /** Query HTTP API and UI. Default 16686. */
  query: number;
  /** Query gRPC API. Default 16685. */
  queryGrpc: number;
  /** `healthcheckv2` HTTP. Default 13134. */
  health: number;
  /** Jaeger's own metrics. Default 18888. */
  metrics: number;
}

/** The native ports table. */
export const JAEGER_PORTS: Readonly<JaegerPorts> = Object.freeze({
  otlpGrpc: 14317,
  otlpHttp: 14318,
  query: 16686,
  queryGrpc: 16685,
  health: 13134,
  metrics: 18888,
});

/**
 * Jaeger's default soft memory limit (Go's `GOMEMLIMIT`; override with `JAEGER_GOMEMLIMIT`, the same
 * variable compose reads). Without it the Go runtime kept what a burst had used: on the demo its heap
 * held 110–133 MB of live data while the process's RSS stayed at 600–800 MB after a 1.3 GB peak. With a
 * limit, the collector runs earlier and returns freed memory to the OS near the limit. It is soft: a
 * live heap above it still gets the memory (Go then collects more often), it is never an OOM cap.
 * https://pkg.go.dev/runtime#hdr-Environment_Variables
 */
export const JAEGER_GOMEMLIMIT = '256MiB';

/** Options of {@link startJaeger}. */
export interface JaegerOptions {
  /** Ports to use; missing ones take {@link JAEGER_PORTS}. */
  ports?: Partial<JaegerPorts>;
  /** Config file. Default `jaeger/config.yaml`. */
  configFile?: string;
  /** Instance name (log `<name>.log`). Default `jaeger`, or `jaeger-<query port>` off the default ports. */
  name?: string;
  /**
   * Trace store: `badger` (on disk, the default of jaeger/config.yaml) or `memory` (lost on stop, at most
   * `JAEGER_MAX_TRACES` traces). Sets `JAEGER_STORAGE`. Default: `JAEGER_STORAGE` from the environment, else `badger`.
   */
  storage?: 'badger' | 'memory';
  /** Badger's directory (`keys/` and `values/` inside). Sets `JAEGER_BADGER_DIR`. Default `<runDir>/<name>/badger`. */
  dataDir?: string;
  /**
   * Keep the Badger data of a previous start (the demo does: traces survive a stop/start). Default false:
   * the directory is emptied at start and removed at stop, so a test starts from nothing and leaves nothing.
   */
  keepData?: boolean;
  /** How long Badger keeps a span, as a Go duration (`48h`, `5s`). Sets `JAEGER_TTL`. Default: the config's (48h). */
  ttl?: string;
  /** More env vars for the config (e.g. `JAEGER_MAX_TRACES: '1000'`). */
  env?: Record<string, string>;
  /** Deadline for health + `/api/services`, ms. Default 30000. */
  readyTimeoutMs?: number;
}

/** A running Jaeger from {@link startJaeger}. */
export interface JaegerInstance {
  ports: JaegerPorts;
  /** Query API base: `http://127.0.0.1:<query>` (e.g. `${queryUrl}/api/services`). */
  queryUrl: string;
  /** Where the Collector sends spans: `127.0.0.1:<otlpGrpc>`. */
  otlpGrpcEndpoint: string;
  /** `http://127.0.0.1:<health>/status`. */
  healthUrl: string;
  /** `http://127.0.0.1:<metrics>/metrics`. */
  metricsUrl: string;
  /** The store in use. */
  storage: 'badger' | 'memory';
  /** Badger's directory (opened even when `storage` is `memory`). */
  dataDir: string;
  process: ManagedProcess;
  /** ms from call to ready. */
  readyMs: number;
  /** SIGTERM, SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
}

/** The env vars jaeger/config.yaml reads, for the given ports. */
export function jaegerEnv(ports: JaegerPorts): Record<string, string> {
  return {
    JAEGER_BIND: '127.0.0.1',
    JAEGER_OTLP_GRPC_PORT: String(ports.otlpGrpc),
    JAEGER_OTLP_HTTP_PORT: String(ports.otlpHttp),
    JAEGER_QUERY_PORT: String(ports.query),
    JAEGER_QUERY_GRPC_PORT: String(ports.queryGrpc),
    JAEGER_HEALTH_PORT: String(ports.health),
    JAEGER_METRICS_PORT: String(ports.metrics),
  };
}

/**
 * Starts Jaeger and waits until its health check and `/api/services` answer 200.
 * @throws Error if a port is taken, the binary is missing, or it is not ready in time (log tail quoted).
 */
export async function startJaeger(opts: JaegerOptions = {}): Promise<JaegerInstance> {
  const t0 = Date.now();
  const ports: JaegerPorts = { ...JAEGER_PORTS, ...opts.ports };
  const name = opts.name ?? (ports.query === JAEGER_PORTS.query ? 'jaeger' : `jaeger-${ports.query}`);
  const bin = requireBinary('Jaeger', binaries().jaeger);
  for (const [what, port] of Object.entries(ports)) await assertPortFree(port, `Jaeger ${what}`);
  const storage = opts.storage ?? (process.env['JAEGER_STORAGE'] === 'memory' ? 'memory' : 'badger');
  const dataDir = opts.dataDir ?? join(runDir(), name, 'badger');
  if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const proc = spawnManaged({
    name,
    command: bin,
    args: ['--config', opts.configFile ?? JAEGER_CONFIG],
    env: {
      ...jaegerEnv(ports),
      GOMEMLIMIT: process.env['JAEGER_GOMEMLIMIT'] ?? JAEGER_GOMEMLIMIT,
      JAEGER_STORAGE: storage,
      JAEGER_BADGER_DIR: dataDir,
      ...(opts.ttl ? { JAEGER_TTL: opts.ttl } : {}),
      ...opts.env,
    },
  });
  const stop = async () => {
    await proc.stop();
    if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
  };
  const queryUrl = `http://127.0.0.1:${ports.query}`;
  const healthUrl = `http://127.0.0.1:${ports.health}/status`;
  try {
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
    await waitUntil(`Jaeger health ${healthUrl}`, httpProbe(healthUrl), { proc, timeoutMs: deadline - Date.now() });
    await waitUntil(`Jaeger query ${queryUrl}/api/services`, httpProbe(`${queryUrl}/api/services`), {
      proc,
      timeoutMs: Math.max(1000, deadline - Date.now()),
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    ports,
    queryUrl,
    otlpGrpcEndpoint: `127.0.0.1:${ports.otlpGrpc}`,
    healthUrl,
    metricsUrl: `http://127.0.0.1:${ports.metrics}/metrics`,
    storage,
    dataDir,
    process: proc,
    readyMs: Date.now() - t0,
    stop,
  };
}
