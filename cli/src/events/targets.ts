/** Where the event commands write (the Collector) and read (VictoriaLogs): flags, then env, then the native ports. */

/** The Collector's OTLP/HTTP URL: `--collector`, else `$FAULTLINE_COLLECTOR_URL`, else `$OTEL_EXPORTER_OTLP_ENDPOINT`, else `http://127.0.0.1:4318`. */
export function collectorUrl(flag: string | undefined, env: Record<string, string | undefined>): string {
  return httpUrl(flag ?? (env['FAULTLINE_COLLECTOR_URL'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'] || 'http://127.0.0.1:4318'), '--collector');
}

/** VictoriaLogs' URL: `--logs`, else `$FAULTLINE_LOGS_URL`, else `http://127.0.0.1:9428`. */
export function logsUrl(flag: string | undefined, env: Record<string, string | undefined>): string {
  return httpUrl(flag ?? (env['FAULTLINE_LOGS_URL'] || 'http://127.0.0.1:9428'), '--logs');
}

/**
 * @returns `value` without trailing slashes.
 * @throws Error when it is not an http(s) URL (message names `flag`).
 */
export function httpUrl(value: string, flag: string): string {
  let ok = false;
  try {
    ok = ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    // not a URL
  }
  if (!ok) throw new Error(`${flag} takes an http(s) URL, not ${JSON.stringify(value)}`);
  return value.replace(/\/+$/, '');
}
