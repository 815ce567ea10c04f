/**
 * Switching off faultline's own instrumentations with the standard variable
 * `OTEL_NODE_DISABLED_INSTRUMENTATIONS` (a comma-separated list of names, as
 * `@opentelemetry/auto-instrumentations-node` reads it: the package name without its
 * `@opentelemetry/instrumentation-` prefix, e.g. `fs,dns`). faultline's names are those of the
 * modules they hook: {@link OWN_INSTRUMENTATIONS}. A switched-off instrumentation is not created at
 * all, so its module is not even hooked.
 *
 * The other OpenTelemetry contrib instrumentations faultline loads (http, express, pg, mysql2, ioredis, undici,
 * amqplib, kafkajs) do
 * not read this variable: the OpenTelemetry SDK does not (only the auto-instrumentations package does, which
 * faultline does not use). For the same reason `OTEL_NODE_ENABLED_INSTRUMENTATIONS` is not read.
 */

/**
 * The name of each of faultline's own instrumentations in `OTEL_NODE_DISABLED_INSTRUMENTATIONS`:
 * - `pg-pool`: pool discovery (pool attributes on spans, pool gauges, connection wait time and timeouts);
 * - `knex`: the same for knex's (tarn) pools;
 * - `generic-pool`: the same for generic-pool's pools;
 * - `fastify`: `http.route` from fastify's route (the server span keeps its method-only name);
 * - `koa`, `redis`: the contrib koa and node-redis instrumentations (the names
 *   `@opentelemetry/auto-instrumentations-node` gives them);
 * - `opossum`: circuit-breaker spans, span events and metrics;
 * - `bullmq`: BullMQ's own telemetry on Queue/Worker/FlowProducer (also off with `FAULTLINE_BULLMQ=false`);
 * - `mysql2-pool`: mysql2 pool discovery (its pool attributes on spans, gauges, wait times);
 * - `sequelize-pool`: Sequelize pool discovery (the same for Sequelize's pools).
 */
export const OWN_INSTRUMENTATIONS = Object.freeze({
  pgPool: 'pg-pool',
  knex: 'knex',
  genericPool: 'generic-pool',
  fastify: 'fastify',
  koa: 'koa',
  redis: 'redis',
  opossum: 'opossum',
  bullmq: 'bullmq',
  mysql2Pool: 'mysql2-pool',
  sequelizePool: 'sequelize-pool',
} as const);

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
