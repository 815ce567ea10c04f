/**
 * A private Prometheus for faultline, scraping the Collector every 5 s with exemplar storage on. Its
 * scrape config is `prometheus/prometheus.yml`, the file docker-compose.yml mounts: natively the
 * compose host names in its targets are replaced by 127.0.0.1 and the given Collector ports, and the
 * result is written to the run dir (the source file is never copied into the repo).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALERT_RULES, binaries, PROMETHEUS_CONFIG, requireBinary, runDir } from './paths.ts';
import { assertPortFree } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import { classicUiAssets } from './prometheus-ui.ts';
import { httpProbe, waitUntil } from './wait.ts';

/** Default port of faultline's Prometheus (native and compose). */
export const PROMETHEUS_PORT = 9090;

/** Options of {@link startPrometheus}. */
export interface PrometheusOptions {
  /** Listening port on 127.0.0.1. Default {@link PROMETHEUS_PORT}. */
  port?: number;
  /** Where the Collector's `prometheus` exporter and own metrics are: default 8889 and 8888. */
  collectorPorts?: { prometheus: number; metrics: number };
  /** Instance name (log `<name>.log`, data `<runDir>/<name>`). Default `prometheus` or `prometheus-<port>`. */
  name?: string;
  /** Deadline for `/-/ready`, ms. Default 30000. */
  readyTimeoutMs?: number;
  /** Alertmanager to send alerts to, `host:port`. Default none: the rules are evaluated, nothing is sent. */
  alertmanager?: string;
  /** Scrape config shared with compose. Default `prometheus/prometheus.yml`; the scale profile's is `prometheus/scale.yml`. */
  configFile?: string;
  /** More compose targets (`host:port`) → where they listen natively (`127.0.0.1:port`), e.g. the scale profile's Collectors. */
  targets?: Record<string, string>;
}

/** A running Prometheus. */
export interface PrometheusInstance {
  port: number;
  /** `http://127.0.0.1:<port>` (HTTP API under `/api/v1/`). */
  url: string;
  process: ManagedProcess;
  readyMs: number;
  /** SIGTERM, SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The shared scrape config with compose's `collector:8889` / `collector:8888` targets pointed at
 * 127.0.0.1 and the given ports, the rules file at its path in the repo, and compose's
 * `alertmanager:9093` at `alerting.alertmanager` (`host:port`) — or the `alerting` section left out
 * when none is given (a test's Prometheus must not alert the demo's Alertmanager).
 */
export function nativePrometheusConfig(
  source: string,
  collectorPorts: { prometheus: number; metrics: number },
  alerting: { alertmanager?: string; rules?: string } = {},
): string {
  const out = source
    .replace(/(["'\s[,])collector:8889\b/g, `$1127.0.0.1:${collectorPorts.prometheus}`)
    .replace(/(["'\s[,])collector:8888\b/g, `$1127.0.0.1:${collectorPorts.metrics}`)
    .replace(/\/etc\/prometheus\/rules\/faultline\.rules\.yml/g, alerting.rules ?? ALERT_RULES);
  return alerting.alertmanager
    ? out.replace(/(["'\s[,])alertmanager:9093\b/g, `$1${alerting.alertmanager}`)
    : out.replace(/^(# [^\n]*\n)*alerting:\n([ #][^\n]*\n|\n)*/m, '');
}

/**
 * Starts Prometheus with a fresh TSDB and waits until it is ready.
 * @throws Error if the port is taken, the binary is missing, or it is not ready in time (log tail quoted).
 */
export async function startPrometheus(opts: PrometheusOptions = {}): Promise<PrometheusInstance> {
  const t0 = Date.now();
  const port = opts.port ?? PROMETHEUS_PORT;
  const name = opts.name ?? (port === PROMETHEUS_PORT ? 'prometheus' : `prometheus-${port}`);
  const bin = requireBinary('Prometheus', binaries().prometheus);
  await assertPortFree(port, `Prometheus ${name}`);
  const dir = join(runDir(), name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  const config = join(dir, 'prometheus.yml');
  let source = readFileSync(opts.configFile ?? PROMETHEUS_CONFIG, 'utf8');
  for (const [from, to] of Object.entries(opts.targets ?? {})) source = source.replaceAll(`"${from}"`, `"${to}"`);
  writeFileSync(
    config,
    nativePrometheusConfig(source, opts.collectorPorts ?? { prometheus: 8889, metrics: 8888 }, {
      alertmanager: opts.alertmanager,
    }),
  );
  const assets = classicUiAssets(join(dir, 'web'));
  const proc = spawnManaged({
    name,
    command: bin,
    args: [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--enable-feature=exemplar-storage',
      '--storage.tsdb.retention.time=1d',
      ...(assets ? [`--web.local-assets=${assets}`] : []),
    ],
  });
  const stop = async () => {
    await proc.stop();
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(`Prometheus ${url}/-/ready`, httpProbe(`${url}/-/ready`), { proc, timeoutMs: opts.readyTimeoutMs ?? 30_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url, process: proc, readyMs: Date.now() - t0, stop };
}
