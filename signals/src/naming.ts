/**
 * How OpenTelemetry names become Prometheus names on their way through the Collector's `prometheus`
 * exporter (collector/config.yaml; its default translation strategy, "underscore escaping with
 * suffixes"). The rules are those of the OpenTelemetry specification, "Prometheus and OpenMetrics
 * Compatibility" (https://opentelemetry.io/docs/specs/otel/compatibility/prometheus_and_openmetrics/):
 *
 * - a label is the attribute key with every character outside `[a-zA-Z0-9_]` replaced by `_`
 *   (`client.id` → `client_id`, `db.client.connection.pool.name` → `db_client_connection_pool_name`);
 * - a metric name is escaped the same way, then gets its unit as a suffix (`ms` → `_milliseconds`,
 *   `s` → `_seconds`, `By` → `_bytes`; annotations in braces such as `{connection}` add nothing), and
 *   a monotonic counter gets `_total`;
 * - a histogram is three series: `<name>_bucket` (label `le`), `<name>_sum`, `<name>_count`.
 *
 * This file is the one place that says so: every other name in this workspace is derived with it.
 */

/** The kind of an OpenTelemetry instrument, as far as its Prometheus name is concerned. */
export type InstrumentKind = 'counter' | 'gauge' | 'histogram';

/** UCUM units the exporter spells out as a suffix (the rest of the spec's table is not used here). */
const UNIT_SUFFIX: Record<string, string> = {
  ms: 'milliseconds',
  s: 'seconds',
  By: 'bytes',
  '%': 'percent',
};

/** Replaces every character Prometheus does not allow in a name with `_`. */
function escape(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/**
 * The Prometheus label of an OpenTelemetry attribute key.
 * @example promLabel('client.id') === 'client_id'
 */
export function promLabel(attribute: string): string {
  return escape(attribute);
}

/**
 * The Prometheus metric name of an OpenTelemetry instrument.
 * @param name - the instrument's name, e.g. `db.client.connection.wait_time`.
 * @param kind - `counter` (monotonic sum: `_total` is added), `gauge` (also an up-down counter), or
 *   `histogram` (the base name: use {@link bucket}, {@link sumOf}, {@link countOf} for its series).
 * @param unit - the instrument's UCUM unit (`s`, `ms`, `By`, `{connection}`, `1`); default none.
 * @example promMetric('db.client.connection.wait_time', 'histogram', 's') === 'db_client_connection_wait_time_seconds'
 */
export function promMetric(name: string, kind: InstrumentKind, unit = ''): string {
  const suffix = UNIT_SUFFIX[unit];
  let out = escape(name);
  if (suffix && !out.endsWith(`_${suffix}`)) out += `_${suffix}`;
  if (kind === 'counter' && !out.endsWith('_total')) out += '_total';
  return out;
}

/** The bucket series of a histogram (label `le`). */
export function bucket(histogram: string): string {
  return `${histogram}_bucket`;
}

/** The sum series of a histogram. */
export function sumOf(histogram: string): string {
  return `${histogram}_sum`;
}

/** The count series of a histogram. */
export function countOf(histogram: string): string {
  return `${histogram}_count`;
}
