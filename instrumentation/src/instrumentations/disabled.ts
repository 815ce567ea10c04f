/**
 * Switching off faultline's own instrumentations with the standard variable
 * `OTEL_NODE_DISABLED_INSTRUMENTATIONS` (a comma-separated list of names, as
 * `@opentelemetry/auto-instrumentations-node` reads it: the package name without its
 * `@opentelemetry/instrumentation-` prefix, e.g. `fs,dns`). faultline's names are those of the
 * modules they hook: {@link OWN_INSTRUMENTATIONS}. A switched-off instrumentation is not created at
 * all, so its module is not even hooked.
 *
 * The OpenTelemetry contrib instrumentations faultline loads (http, express, pg, ioredis, undici) do
 * not read this variable: the NodeSDK does not (only the auto-instrumentations package does, which
 * faultline does not use). For the same reason `OTEL_NODE_ENABLED_INSTRUMENTATIONS` is not read.
 */

/**
 * The name of each of faultline's own instrumentations in `OTEL_NODE_DISABLED_INSTRUMENTATIONS`:
 * - `pg-pool`: pool discovery (pool attributes on spans, pool gauges, connection wait time and timeouts);
 * - `opossum`: circuit-breaker spans, span events and metrics;
 * - `bullmq`: BullMQ's own telemetry on Queue/Worker/FlowProducer (also off with `FAULTLINE_BULLMQ=false`).
 */
export const OWN_INSTRUMENTATIONS = Object.freeze({ pgPool: 'pg-pool', opossum: 'opossum', bullmq: 'bullmq' } as const);

/**
 * The names listed in `OTEL_NODE_DISABLED_INSTRUMENTATIONS`: split at commas, each trimmed, empty
 * entries left out; names are compared exactly (lower case, as the OpenTelemetry packages spell them).
 * Unset or empty: none. Never throws.
 * @param env - usually `process.env`.
 */
export function disabledInstrumentations(env: Readonly<Record<string, string | undefined>> = process.env): ReadonlySet<string> {
  return new Set(
    (env['OTEL_NODE_DISABLED_INSTRUMENTATIONS'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
}
