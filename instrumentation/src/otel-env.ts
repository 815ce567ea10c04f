/**
 * Checks the standard `OTEL_*` variables the SDK reads, so that a wrong type or an unknown value
 * gives one clear `[faultline]` warning naming the variable, the value and what is used instead.
 * (The SDK itself falls back silently unless `OTEL_LOG_LEVEL` is set.) Values and defaults are those
 * of the specification: https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 */
import { warnOnce } from './warn.ts';

type Env = Readonly<Record<string, string | undefined>>;

const SAMPLERS = new Set([
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
]);
const NON_NEGATIVE_INTS: Readonly<Record<string, string>> = {
  OTEL_BSP_SCHEDULE_DELAY: '5000',
  OTEL_BSP_EXPORT_TIMEOUT: '30000',
  OTEL_BSP_MAX_QUEUE_SIZE: '2048',
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '512',
  OTEL_EXPORTER_OTLP_TIMEOUT: '3000 (faultline)',
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: 'OTEL_EXPORTER_OTLP_TIMEOUT',
  OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: 'OTEL_EXPORTER_OTLP_TIMEOUT',
  OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '128',
};
const ENDPOINTS: Readonly<Record<string, string>> = {
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces',
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'OTEL_EXPORTER_OTLP_ENDPOINT + /v1/metrics',
};

function bad(name: string, value: string, expected: string, instead: string): void {
  warnOnce(`otel:${name}`, `${name}=${JSON.stringify(value)} is not ${expected}; using ${instead}.`);
}

/**
 * Warns once for each `OTEL_*` variable with a value the SDK will ignore. Never throws.
 * @returns the names of the variables reported.
 */
export function checkOtelEnv(env: Env = process.env): string[] {
  const reported: string[] = [];
  const report = (name: string, value: string, expected: string, instead: string) => {
    bad(name, value, expected, instead);
    reported.push(name);
  };
  const sampler = env['OTEL_TRACES_SAMPLER']?.trim();
  if (sampler && !SAMPLERS.has(sampler))
    report('OTEL_TRACES_SAMPLER', sampler, `one of ${[...SAMPLERS].join(', ')}`, 'parentbased_always_on');
  const arg = env['OTEL_TRACES_SAMPLER_ARG']?.trim();
  if (arg && sampler?.endsWith('traceidratio')) {
    const n = Number(arg);
    if (!Number.isFinite(n) || n < 0 || n > 1) report('OTEL_TRACES_SAMPLER_ARG', arg, 'a ratio from 0 to 1', '1');
  }
  for (const [name, fallback] of Object.entries(NON_NEGATIVE_INTS)) {
    const v = env[name]?.trim();
    if (v && !/^\d+$/.test(v)) report(name, v, 'a non-negative integer', fallback);
  }
  for (const [name, fallback] of Object.entries(ENDPOINTS)) {
    const v = env[name]?.trim();
    if (!v) continue;
    let ok: boolean;
    try {
      const u = new URL(v);
      ok = u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      ok = false;
    }
    if (!ok) report(name, v, 'an http(s) URL', fallback);
  }
  const protocol = env['OTEL_EXPORTER_OTLP_PROTOCOL']?.trim();
  if (protocol && protocol !== 'http/protobuf')
    report('OTEL_EXPORTER_OTLP_PROTOCOL', protocol, 'supported by faultline (it exports OTLP/HTTP protobuf only)', 'http/protobuf');
  const attrs = env['OTEL_RESOURCE_ATTRIBUTES']?.trim();
  if (attrs) {
    for (const pair of attrs.split(',')) {
      if (pair.trim() && !/^[^=]+=[^=]*$/.test(pair.trim())) {
        report(
          'OTEL_RESOURCE_ATTRIBUTES',
          attrs,
          'a comma-separated list of key=value (percent-encode , and =)',
          'no resource attributes from it',
        );
        break;
      }
    }
  }
  return reported;
}
