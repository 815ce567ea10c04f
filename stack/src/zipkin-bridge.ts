/**
 * The Zipkin bridge, natively: a second, small Collector (built by bootstrap.sh from
 * collector/zipkin-bridge/builder-config.yaml, v0.161.0) run with collector/zipkin-bridge/config.yaml,
 * the file docker-compose.yml mounts. OTLP gRPC in from the main Collector's `otlp_grpc/zipkin_bridge`
 * exporter, `zipkin` exporter out to Zipkin's `POST /api/v2/spans`. Every port and address in that
 * config is an env var with a default; this module sets them.
 */
import { binaries, requireBinary, ZIPKIN_BRIDGE_CONFIG } from './paths.ts';
import { assertPortFree } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import { httpProbe, waitUntil } from './wait.ts';
import { ZIPKIN_PORT } from './zipkin.ts';

/** The bridge's ports on 127.0.0.1 (defaults are the native ports table). */
export interface ZipkinBridgePorts {
  /** OTLP gRPC receiver, fed by the main Collector. Default 9412. */
  otlpGrpc: number;
  /** `health_check` extension. Default 13135. */
  health: number;
}

/** The native ports table. */
export const ZIPKIN_BRIDGE_PORTS: Readonly<ZipkinBridgePorts> = Object.freeze({ otlpGrpc: 9412, health: 13135 });

/** Options of {@link startZipkinBridge}. */
export interface ZipkinBridgeOptions {
  /** Ports to use; missing ones take {@link ZIPKIN_BRIDGE_PORTS}. */
  ports?: Partial<ZipkinBridgePorts>;
  /** Zipkin's base URL (the exporter adds `/api/v2/spans`). Default `http://127.0.0.1:9411`. */
  zipkinUrl?: string;
  /** Instance name (log `<name>.log`). Default `zipkin-bridge`, or `zipkin-bridge-<otlpGrpc port>` off the default ports. */
  name?: string;
  /** More env vars for the config (e.g. `ZIPKIN_BRIDGE_LOG_LEVEL: 'debug'`). */
  env?: Record<string, string>;
  /** Deadline for the health check, ms. Default 30000. */
  readyTimeoutMs?: number;
}

/** A running bridge from {@link startZipkinBridge}. */
export interface ZipkinBridgeInstance {
  ports: ZipkinBridgePorts;
  /** Where the main Collector sends spans (its `ZIPKIN_BRIDGE_OTLP_ENDPOINT`): `127.0.0.1:<otlpGrpc>`. */
  otlpGrpcEndpoint: string;
  /** `http://127.0.0.1:<health>/`. */
  healthUrl: string;
  process: ManagedProcess;
  /** ms from call to healthy. */
  readyMs: number;
  /** SIGTERM (drains to Zipkin), SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
}

/** The env vars collector/zipkin-bridge/config.yaml reads, for the given ports and Zipkin URL. */
export function zipkinBridgeEnv(ports: ZipkinBridgePorts, zipkinUrl: string): Record<string, string> {
  return {
    ZIPKIN_BRIDGE_BIND: '127.0.0.1',
    ZIPKIN_BRIDGE_OTLP_GRPC_PORT: String(ports.otlpGrpc),
    ZIPKIN_BRIDGE_HEALTH_PORT: String(ports.health),
    ZIPKIN_ENDPOINT: zipkinUrl,
  };
}

/**
 * Starts the bridge and waits for its health check.
 * @throws Error if a port is taken, the binary is missing, or it is not healthy in time (log tail quoted).
 */
export async function startZipkinBridge(opts: ZipkinBridgeOptions = {}): Promise<ZipkinBridgeInstance> {
  const t0 = Date.now();
  const ports: ZipkinBridgePorts = { ...ZIPKIN_BRIDGE_PORTS, ...opts.ports };
  const isDefault = ports.otlpGrpc === ZIPKIN_BRIDGE_PORTS.otlpGrpc;
  const name = opts.name ?? (isDefault ? 'zipkin-bridge' : `zipkin-bridge-${ports.otlpGrpc}`);
  const bin = requireBinary('the Zipkin bridge', binaries().zipkinBridge);
  for (const [what, port] of Object.entries(ports)) await assertPortFree(port, `Zipkin bridge ${what}`);
  const proc = spawnManaged({
    name,
    command: bin,
    args: [`--config=${ZIPKIN_BRIDGE_CONFIG}`],
    env: { ...zipkinBridgeEnv(ports, opts.zipkinUrl ?? `http://127.0.0.1:${ZIPKIN_PORT}`), ...opts.env },
  });
  const stop = async () => {
    await proc.stop();
  };
  const healthUrl = `http://127.0.0.1:${ports.health}/`;
  try {
    await waitUntil(`Zipkin bridge health check ${healthUrl}`, httpProbe(healthUrl), { proc, timeoutMs: opts.readyTimeoutMs ?? 30_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    ports,
    otlpGrpcEndpoint: `127.0.0.1:${ports.otlpGrpc}`,
    healthUrl,
    process: proc,
    readyMs: Date.now() - t0,
    stop,
  };
}
