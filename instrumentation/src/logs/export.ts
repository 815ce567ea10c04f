/**
 * Log records out of the process: the log record processors the SDK gets. Each record is stamped
 * (client ID, pool state), scrubbed of secrets, batched and sent as OTLP/HTTP protobuf to the Collector
 * (`OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/logs`), through the
 * same outage guard as spans and metrics. `OTEL_LOGS_EXPORTER=none` turns sending off; the app's own
 * log output (stdout) is never touched either way.
 */
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { BatchLogRecordProcessor, type BatchLogRecordProcessorOptions, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { guardExporter, type ExportStats } from '../export/export-guard.ts';
import { exportTimeoutMs, otlpEndpoint } from '../export/otlp.ts';
import type { PoolRegistry } from '../pools/registry.ts';
import { warnOnce } from '../warn.ts';
import { RedactingLogRecordProcessor } from './redact.ts';
import { StampingLogRecordProcessor } from './stamping-processor.ts';

/**
 * Whether log records are exported, from `OTEL_LOGS_EXPORTER` (the SDK environment variable
 * specification): unset, empty or `otlp` → yes; `none` → no. Any other value (faultline exports OTLP
 * only) warns once and means `otlp`.
 * @param env - usually `process.env`.
 */
export function logsExportEnabled(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const names = (env['OTEL_LOGS_EXPORTER'] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (names.includes('none')) return false;
  const other = names.filter((n) => n !== 'otlp');
  if (other.length > 0)
    warnOnce('otel:OTEL_LOGS_EXPORTER', `OTEL_LOGS_EXPORTER=${JSON.stringify(env['OTEL_LOGS_EXPORTER'])} is not otlp or none; using otlp.`);
  return true;
}

/** The numeric options of the batch log record processor. */
export type BatchLimits = Pick<
  BatchLogRecordProcessorOptions,
  'scheduledDelayMillis' | 'exportTimeoutMillis' | 'maxQueueSize' | 'maxExportBatchSize'
>;

/**
 * The batch log record processor's options from the specification's `OTEL_BLRP_*` variables
 * (`SCHEDULE_DELAY` ms, default 1000; `EXPORT_TIMEOUT` ms, 30000; `MAX_QUEUE_SIZE`, 2048;
 * `MAX_EXPORT_BATCH_SIZE`, 512). Values that are not positive integers are skipped (the default applies).
 */
export function batchOptions(env: Readonly<Record<string, string | undefined>> = process.env): BatchLimits {
  const int = (name: string): number | undefined => {
    const v = env[`OTEL_BLRP_${name}`]?.trim();
    return v && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
  };
  const out: { -readonly [K in keyof BatchLimits]?: number } = {};
  const pairs = [
    ['SCHEDULE_DELAY', 'scheduledDelayMillis'],
    ['EXPORT_TIMEOUT', 'exportTimeoutMillis'],
    ['MAX_QUEUE_SIZE', 'maxQueueSize'],
    ['MAX_EXPORT_BATCH_SIZE', 'maxExportBatchSize'],
  ] as const;
  for (const [name, key] of pairs) {
    const n = int(name);
    if (n !== undefined) out[key] = n;
  }
  return out;
}

/**
 * The SDK's log record processors: stamping, redaction, then the batch processor ({@link batchOptions})
 * with the guarded OTLP exporter. Empty when {@link logsExportEnabled} says no.
 * @param pools - the process's pool registry.
 * @param stats - export failure counters, filled by the guard.
 * @param env - where `OTEL_LOGS_EXPORTER`, `OTEL_BLRP_*` and the OTLP endpoint/timeout are read; default `process.env`.
 */
export function createLogRecordProcessors(
  pools: PoolRegistry,
  stats: ExportStats,
  env: Readonly<Record<string, string | undefined>> = process.env,
): LogRecordProcessor[] {
  if (!logsExportEnabled(env)) return [];
  const exporter = guardExporter(
    new OTLPLogExporter({ timeoutMillis: exportTimeoutMs('logs', env) }),
    'logs',
    otlpEndpoint('logs', env),
    stats,
  );
  return [
    new StampingLogRecordProcessor(pools),
    new RedactingLogRecordProcessor(),
    new BatchLogRecordProcessor({ exporter, ...batchOptions(env) }),
  ];
}
