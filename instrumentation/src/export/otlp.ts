/**
 * Where and how long the OTLP/HTTP exporters send: the endpoint and timeout rules of the OTLP
 * exporter specification (https://opentelemetry.io/docs/specs/otel/protocol/exporter/), with
 * faultline's shorter default timeout.
 */

/**
 * Where the OTLP/HTTP exporter sends `signal`, per the OTLP exporter specification:
 * `OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT` as given, else `OTEL_EXPORTER_OTLP_ENDPOINT` (default
 * `http://localhost:4318`, trailing slashes dropped) + `/v1/<signal>`.
 * @param signal - `"traces"`, `"metrics"` or `"logs"`.
 * @param env - usually `process.env`.
 * @returns an absolute URL string (not validated here; `otel-env.ts` warns about a bad one).
 */
export function otlpEndpoint(
  signal: 'traces' | 'metrics' | 'logs',
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const specific = env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`];
  if (specific) return specific;
  const base = (env['OTEL_EXPORTER_OTLP_ENDPOINT'] || 'http://localhost:4318').replace(/\/+$/, '');
  return `${base}/v1/${signal}`;
}

/** faultline's default OTLP export timeout: a Collector on the same host or network answers in milliseconds. */
export const DEFAULT_EXPORT_TIMEOUT_MS = 3000;

/**
 * The OTLP export timeout for `signal` in ms: `OTEL_EXPORTER_OTLP_<SIGNAL>_TIMEOUT`, else
 * `OTEL_EXPORTER_OTLP_TIMEOUT` (as the OTLP exporter specification says), else
 * {@link DEFAULT_EXPORT_TIMEOUT_MS} instead of the specification's 10000, so that a Collector that is
 * down holds back an exiting app for at most this long. Values that are not positive numbers are skipped.
 * @param signal - `"traces"`, `"metrics"` or `"logs"`.
 * @param env - usually `process.env`.
 */
export function exportTimeoutMs(
  signal: 'traces' | 'metrics' | 'logs',
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  for (const name of [`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_TIMEOUT`, 'OTEL_EXPORTER_OTLP_TIMEOUT']) {
    const n = Number(env[name]);
    if (env[name] && Number.isFinite(n) && n > 0) return n;
  }
  return DEFAULT_EXPORT_TIMEOUT_MS;
}
