/**
 * faultline's own options: every `FAULTLINE_*` variable, read in this one module.
 *
 * Standard OpenTelemetry variables (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`,
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_TRACES_SAMPLER`, `OTEL_BSP_*`, …) are honoured by the
 * OpenTelemetry SDK itself, as the specification describes
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/);
 * the only one read here is `OTEL_METRIC_EXPORT_INTERVAL`, whose default faultline shortens.
 * Elsewhere: `OTEL_BSP_*` in `export/export-queue.ts` (faultline builds the batch processor itself, with a
 * shorter default delay), the OTLP endpoint and timeout variables in `export/otlp.ts`, and
 * `OTEL_NODE_DISABLED_INSTRUMENTATIONS` in `instrumentations/disabled.ts` (switches off any instrumentation
 * faultline loads, its own and the contrib ones, by the names the auto-instrumentations package uses).
 *
 * A bad value never throws: it produces one warning naming the variable, the bad value and
 * the value used instead (see {@link readConfig}).
 */
import { warnOnce } from './warn.ts';

/** The resolved configuration of the preload. */
export interface FaultlineConfig {
  /**
   * `FAULTLINE_ENABLED`: `false` makes the preload do nothing at all (no SDK, no hooks).
   * @default true
   */
  readonly enabled: boolean;
  /**
   * `FAULTLINE_EDGE`: this service receives requests from outside (a load balancer,
   * gateway or public API). At the edge the client ID is taken only from the
   * {@link clientIdHeader} request header and any `client.id` in inbound W3C Baggage is
   * discarded, because baggage from outside is not trusted. Internal services
   * (`false`) take the client ID from the baggage their faultline-instrumented callers send.
   * @default true
   */
  readonly edge: boolean;
  /**
   * `FAULTLINE_CLIENT_ID_HEADER`: request header that names the caller at the edge,
   * lower-cased. Must be an HTTP token (RFC 9110 §5.1).
   * @default "x-client-id"
   */
  readonly clientIdHeader: string;
  /**
   * `FAULTLINE_CLIENT_ID_MAX_LENGTH`: client IDs longer than this many characters are
   * truncated. Range 1–256.
   * @default 64
   */
  readonly clientIdMaxLength: number;
  /**
   * `FAULTLINE_METRICS_CLIENT_LIMIT`: how many distinct client IDs per process keep their own
   * series in span metrics. Spans of further clients keep their real `client.id` but carry
   * `faultline.client_id.overflow=true`, and the Collector counts them as `client.id="other"`
   * (bounded cardinality, the same idea as the metrics SDK's cardinality limit and its overflow
   * series). Range 1–100000.
   * @default 200
   */
  readonly metricsClientLimit: number;
  /**
   * `FAULTLINE_POOL`: name (`host:port/database`, as in `db.client.connection.pool.name`)
   * of the pool whose state is stamped on every span when the process has several pools.
   * Empty: the first pool the process created.
   * @default ""
   */
  readonly poolName: string;
  /**
   * `FAULTLINE_POOL_CONNECT_SPAN_MIN_MS`: a pg-pool acquire becomes a `pg-pool.connect` span only when it
   * waited at least this many milliseconds for a connection, or failed (timeout, refused). Every acquire
   * still goes to the `db.client.connection.wait_time` histogram, and the query that used the connection
   * carries its wait as the `db.client.connection.wait_time` span attribute (seconds). The span starts when
   * the acquire began, under the caller's span, with the pool's state of that moment. `0` makes every
   * acquire a span (the `pg` instrumentation's own, faultline's behaviour before this option). Range 0–60000 ms. Precedent: dd-trace-js
   * (wait on the query span), `@opentelemetry/instrumentation-pg`'s `ignoreConnectSpans`.
   * @default 1
   */
  readonly poolConnectSpanMinMs: number;
  /**
   * `FAULTLINE_BULLMQ`: turn on BullMQ's own telemetry (`bullmq-otel`) for every Queue and
   * Worker the app creates, unless the app passed its own `telemetry` option.
   * @default true
   */
  readonly bullmq: boolean;
  /**
   * `FAULTLINE_SHUTDOWN_TIMEOUT_MS`: on SIGTERM/SIGINT, at most this long is spent flushing
   * spans and metrics before the signal takes its normal course. Range 0–30000 ms.
   * @default 1000
   */
  readonly shutdownTimeoutMs: number;
  /**
   * `OTEL_METRIC_EXPORT_INTERVAL` (standard variable, milliseconds): how often metrics are
   * exported. faultline's default is 5000 instead of the specification's 60000, because
   * pool saturation that lasts seconds is what it exists to show. Range 1000–600000.
   * @default 5000
   */
  readonly metricExportIntervalMs: number;
}

/** The defaults, as documented on {@link FaultlineConfig}. */
export const DEFAULTS: FaultlineConfig = Object.freeze({
  enabled: true,
  edge: true,
  clientIdHeader: 'x-client-id',
  clientIdMaxLength: 64,
  metricsClientLimit: 200,
  poolName: '',
  poolConnectSpanMinMs: 1,
  bullmq: true,
  shutdownTimeoutMs: 1000,
  metricExportIntervalMs: 5000,
});

type Env = Readonly<Record<string, string | undefined>>;

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]{1,64}$/;

function invalid<T>(name: string, raw: string, expected: string, fallback: T): T {
  warnOnce(`config:${name}`, `${name}=${JSON.stringify(raw)} is not ${expected}; using ${JSON.stringify(fallback)}.`);
  return fallback;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return invalid(name, raw, 'a boolean (true/false/1/0/yes/no/on/off)', fallback);
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = raw.trim();
  if (!/^-?\d+$/.test(v)) return invalid(name, raw, `an integer from ${min} to ${max}`, fallback);
  const n = Number(v);
  if (n < min || n > max) return invalid(name, raw, `an integer from ${min} to ${max}`, fallback);
  return n;
}

function header(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (!HTTP_TOKEN.test(v)) return invalid(name, raw, 'an HTTP header name', fallback);
  return v;
}

/**
 * Reads faultline's configuration from an environment.
 *
 * Never throws. Each bad value is replaced by its default and reported once on stderr as
 * `[faultline] NAME="value" is not <what was expected>; using <default>.`
 *
 * @param env - usually `process.env`.
 * @returns a frozen {@link FaultlineConfig}.
 */
export function readConfig(env: Env = process.env): FaultlineConfig {
  return Object.freeze({
    enabled: bool(env, 'FAULTLINE_ENABLED', DEFAULTS.enabled),
    edge: bool(env, 'FAULTLINE_EDGE', DEFAULTS.edge),
    clientIdHeader: header(env, 'FAULTLINE_CLIENT_ID_HEADER', DEFAULTS.clientIdHeader),
    clientIdMaxLength: int(env, 'FAULTLINE_CLIENT_ID_MAX_LENGTH', DEFAULTS.clientIdMaxLength, 1, 256),
    metricsClientLimit: int(env, 'FAULTLINE_METRICS_CLIENT_LIMIT', DEFAULTS.metricsClientLimit, 1, 100000),
    poolName: (env['FAULTLINE_POOL'] ?? '').trim(),
    poolConnectSpanMinMs: int(env, 'FAULTLINE_POOL_CONNECT_SPAN_MIN_MS', DEFAULTS.poolConnectSpanMinMs, 0, 60000),
    bullmq: bool(env, 'FAULTLINE_BULLMQ', DEFAULTS.bullmq),
    shutdownTimeoutMs: int(env, 'FAULTLINE_SHUTDOWN_TIMEOUT_MS', DEFAULTS.shutdownTimeoutMs, 0, 30000),
    metricExportIntervalMs: int(env, 'OTEL_METRIC_EXPORT_INTERVAL', DEFAULTS.metricExportIntervalMs, 1000, 600000),
  });
}
