/**
 * VictoriaLogs (Apache-2.0), faultline's log and event store, natively: the binary built by
 * bootstrap.sh (`go install github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@v1.52.1`), on
 * 127.0.0.1. The Collector's `otlp_http/victorialogs` exporter sends it OTLP/HTTP protobuf logs at
 * `/insert/opentelemetry/v1/logs`; readers query `/select/logsql/query` (LogsQL); its web UI is
 * `/select/vmui`. docker-compose.yml runs the same version as the image `victoriametrics/victoria-logs:v1.52.1`.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { binaries, requireBinary, runDir } from './paths.ts';
import { assertPortFree } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import { httpProbe, waitUntil } from './wait.ts';

/** VictoriaLogs' standard HTTP port (ingestion, LogsQL, UI, /health, /metrics). */
export const VICTORIALOGS_PORT = 9428;

/**
 * Default retention: `VICTORIALOGS_RETENTION` (VictoriaLogs' `-retentionPeriod` syntax: `7d`, `4w`,
 * `1y`; minimum `1d`), else `7d` (VictoriaLogs' own default).
 */
export function victoriaLogsRetention(env: NodeJS.ProcessEnv = process.env): string {
  return env['VICTORIALOGS_RETENTION']?.trim() || '7d';
}

/** Options of {@link startVictoriaLogs}. */
export interface VictoriaLogsOptions {
  /** HTTP port on 127.0.0.1. Default {@link VICTORIALOGS_PORT}. */
  port?: number;
  /** Instance name (log `<name>.log`, data `<runDir>/<name>/data`). Default `victorialogs`, or `victorialogs-<port>` off the default port. */
  name?: string;
  /** Retention period (`-retentionPeriod`). Default {@link victoriaLogsRetention}. */
  retention?: string;
  /** Keep the data of a previous start (default false: empty). */
  keepData?: boolean;
  /** Deadline for `/health`, ms. Default 30000. */
  readyTimeoutMs?: number;
}

/** A running VictoriaLogs from {@link startVictoriaLogs}. */
export interface VictoriaLogsInstance {
  port: number;
  /** Base URL: `http://127.0.0.1:<port>` (LogsQL at `/select/logsql/query`). */
  url: string;
  /** The Collector's logs endpoint for it: `<url>/insert/opentelemetry/v1/logs`. */
  otlpLogsUrl: string;
  /** Web UI: `<url>/select/vmui`. */
  uiUrl: string;
  process: ManagedProcess;
  /** ms from call to healthy. */
  readyMs: number;
  /** SIGTERM (flushes to disk), SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts VictoriaLogs and waits for its `/health`.
 * @throws Error if the port is taken, the binary is missing (run `bash scripts/bootstrap.sh`), or it is not healthy in time (log tail quoted).
 */
export async function startVictoriaLogs(opts: VictoriaLogsOptions = {}): Promise<VictoriaLogsInstance> {
  const t0 = Date.now();
  const port = opts.port ?? VICTORIALOGS_PORT;
  const name = opts.name ?? (port === VICTORIALOGS_PORT ? 'victorialogs' : `victorialogs-${port}`);
  const bin = requireBinary('VictoriaLogs', binaries().victorialogs);
  await assertPortFree(port, 'VictoriaLogs');
  const dataDir = join(runDir(), name, 'data');
  if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const proc = spawnManaged({
    name,
    command: bin,
    args: [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${dataDir}`,
      `-retentionPeriod=${opts.retention ?? victoriaLogsRetention()}`,
      '-loggerLevel=WARN',
    ],
    env: {},
  });
  const stop = async () => {
    await proc.stop();
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(`VictoriaLogs health ${url}/health`, httpProbe(`${url}/health`), { proc, timeoutMs: opts.readyTimeoutMs ?? 30_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    port,
    url,
    otlpLogsUrl: `${url}/insert/opentelemetry/v1/logs`,
    uiUrl: `${url}/select/vmui`,
    process: proc,
    readyMs: Date.now() - t0,
    stop,
  };
}
