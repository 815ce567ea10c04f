/**
 * Switching off instrumentations with the standard variable `OTEL_NODE_DISABLED_INSTRUMENTATIONS` (a
 * comma-separated list of names, as `@opentelemetry/auto-instrumentations-node` reads it: the package name
 * without its `@opentelemetry/instrumentation-` prefix, e.g. `http,express`). It names faultline's own
 * instrumentations ({@link OWN_INSTRUMENTATIONS}: the modules they hook) and the OpenTelemetry contrib ones
 * faultline loads ({@link CONTRIB_INSTRUMENTATIONS}: the names the auto-instrumentations package gives them).
 * A switched-off instrumentation is not created at all, so its module is not even hooked.
 *
 * `OTEL_NODE_ENABLED_INSTRUMENTATIONS` is not read: faultline loads a fixed, small set, each of which
 * costs nothing measurable in an app that does not use its library (see the bench's `--unused` rows).
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
 * The name of each OpenTelemetry contrib instrumentation faultline loads in
 * `OTEL_NODE_DISABLED_INSTRUMENTATIONS`, as `@opentelemetry/auto-instrumentations-node` names it. Switching
 * one off loses what it gives: `http` the server and client spans of `node:http` (so also the client ID
 * taken from an inbound request and the inbound queue time), `express` the `http.route` of express apps,
 * `pg` and `mysql2` the query spans (pool discovery stays: `pg-pool`, `mysql2-pool`), `ioredis` the Redis
 * spans and their `cache.hit`, `undici` the fetch spans (and the trace context fetch sends), `amqplib` and
 * `kafkajs` the message spans and the context in message headers, `pino` and `winston` the trace context
 * and the export of their records.
 */
export const CONTRIB_INSTRUMENTATIONS = Object.freeze({
  http: 'http',
  express: 'express',
  pg: 'pg',
  mysql2: 'mysql2',
  ioredis: 'ioredis',
  undici: 'undici',
  amqplib: 'amqplib',
  kafkajs: 'kafkajs',
  pino: 'pino',
  winston: 'winston',
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
