/**
 * The one client of VictoriaLogs (faultline's log and event store) in faultline: LogsQL queries over
 * `/select/logsql/query`, and the field and event names as the store holds them. Log records come from
 * the preload (pino, through the Collector's logs pipeline); events from `faultline deploy`,
 * `faultline status` and teams' `curl` lines. OTLP attributes (record and resource) are fields under
 * their own dotted names; the body is `_msg`, the timestamp `_time`.
 * LogsQL: https://docs.victoriametrics.com/victorialogs/logsql/. Failures are {@link SourceError}s
 * naming VictoriaLogs and its URL.
 */
import { reason, SourceError } from './errors.ts';

/** Field names in the log store. */
export const LOG_FIELD = {
  /** The record's body (message). */
  msg: '_msg',
  /** RFC 3339 timestamp. */
  time: '_time',
  /** OTLP severity text as the logger wrote it (pino: `info`, `warn`, `error`, …). */
  severity: 'severity_text',
  /** OTLP severity number (1–24; 13–16 warn, 17–20 error, 21–24 fatal). */
  severityNumber: 'severity_number',
  /** Hex trace ID of the record's span context (OTLP trace_id). */
  traceId: 'trace_id',
  /** Hex span ID. */
  spanId: 'span_id',
  /** Resource attribute `service.name`. */
  service: 'service.name',
  /** Resource attribute `service.version`. */
  serviceVersion: 'service.version',
  /** Resource attribute `service.instance.id`. */
  instance: 'service.instance.id',
  /** The calling client, stamped by the preload (same name as on spans). */
  clientId: 'client.id',
  /** Pool state stamped by the preload (same names as on spans). */
  poolName: 'db.client.connection.pool.name',
  poolUsed: 'db.client.connection.pool.used',
  poolMax: 'db.client.connection.pool.max',
  poolPending: 'db.client.connection.pool.pending_requests',
  /** OpenTelemetry's event name attribute: set on faultline's events ({@link EVENT}). */
  eventName: 'event.name',
  /** Deployment attributes (OpenTelemetry semantic conventions, `deployment.*`). */
  deploymentEnvironment: 'deployment.environment.name',
  deploymentId: 'deployment.id',
  /** Status events: `minor`, `major`, `critical` (faultline addition). */
  statusSeverity: 'faultline.status.severity',
  /** Status events: estimated recovery, RFC 3339 (faultline addition; absent without an ETA). */
  statusEta: 'faultline.status.eta',
  /** Status events: `open` (post) or `resolved` (faultline addition). */
  statusState: 'faultline.status.state',
  /** Status events: where it came from: `cli`, `alertmanager` (faultline addition). */
  statusSource: 'faultline.status.source',
  /** Status events from Alertmanager: the alert's name (its `alertname` label; faultline addition). */
  alertName: 'faultline.alert.name',
} as const;

/** Values of {@link LOG_FIELD.eventName} for faultline's events. */
export const EVENT = {
  /** A deployment: `service.name`, `service.version`, optionally `client.id`, `deployment.*`; the note is the body. */
  deploy: 'faultline.deploy',
  /** A status post or resolution: the text is the body. */
  status: 'faultline.status',
} as const;

/** Values of {@link LOG_FIELD.statusSource}: who wrote a status event. */
export const STATUS_SOURCE = {
  /** `faultline status post/resolve`. */
  cli: 'cli',
  /** An alert fired or resolved, through `faultline status webhook` (not counted as the current status). */
  alertmanager: 'alertmanager',
} as const;

/** Status severities, mildest first. */
export const STATUS_SEVERITIES = ['minor', 'major', 'critical'] as const;
/** A status severity. */
export type StatusSeverity = (typeof STATUS_SEVERITIES)[number];

/** One record as LogsQL returns it: every field a string. */
export type LogLine = Record<string, string>;

/** Per-request timeout, ms. */
export const LOGS_TIMEOUT_MS = 10_000;

/** A LogsQL string literal (JSON string syntax). */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** LogsQL filter: `field` is exactly `value`. */
export function fieldEq(field: string, value: string): string {
  return `${quote(field)}:=${quote(value)}`;
}

/** LogsQL filter: the record is a warning or worse (severity number ≥ 13, or its text says so). */
export const WARN_OR_WORSE = `(${quote(LOG_FIELD.severityNumber)}:>=13 or ${quote(LOG_FIELD.severity)}:~"(?i)^(warn|error|fatal|crit)")`;

/** Options of {@link query}. */
export interface LogsQueryOptions {
  /** Unix seconds; default: no lower bound. */
  start?: number;
  /** Unix seconds; default: now. */
  end?: number;
  /** At most this many records. Default 100. */
  limit?: number;
}

/**
 * Runs a LogsQL query and returns the records (newest first when the query sorts so; the store's
 * order otherwise).
 * @param base - VictoriaLogs base URL, e.g. `http://127.0.0.1:9428`.
 * @param logsql - the query, e.g. `"event.name":="faultline.deploy" | sort by (_time desc)`.
 * @throws SourceError when VictoriaLogs is unreachable or rejects the query (its message quoted).
 */
export async function query(base: string, logsql: string, opts: LogsQueryOptions = {}): Promise<LogLine[]> {
  const p = new URLSearchParams({ query: logsql, limit: String(opts.limit ?? 100) });
  if (opts.start !== undefined) p.set('start', String(Math.floor(opts.start)));
  if (opts.end !== undefined) p.set('end', String(Math.ceil(opts.end)));
  let res: Response;
  try {
    res = await fetch(`${base}/select/logsql/query`, { method: 'POST', body: p, signal: AbortSignal.timeout(LOGS_TIMEOUT_MS) });
  } catch (err) {
    throw new SourceError('VictoriaLogs', base, `cannot reach VictoriaLogs at ${base} (${reason(err)})`);
  }
  const text = await res.text();
  if (!res.ok)
    throw new SourceError(
      'VictoriaLogs',
      base,
      `VictoriaLogs at ${base} rejected the query (HTTP ${res.status}): ${text.trim().slice(0, 300)}`,
    );
  const out: LogLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as LogLine);
    } catch {
      throw new SourceError('VictoriaLogs', base, `VictoriaLogs at ${base} answered with something that is not LogsQL JSON lines`);
    }
  }
  return out;
}

/** The record's time as unix seconds (NaN when it has none). */
export function timeOf(line: LogLine): number {
  return Date.parse(line[LOG_FIELD.time] ?? '') / 1000;
}

/** A link to the store's web UI showing `logsql`. */
export function uiUrl(base: string, logsql: string): string {
  return `${base}/select/vmui/#/?query=${encodeURIComponent(logsql)}`;
}
