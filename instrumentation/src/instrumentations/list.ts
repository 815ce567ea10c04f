/**
 * The OpenTelemetry instrumentations faultline loads, and only those (no auto-loader, no
 * resource detector that does I/O). Configured for incident work: database and cache calls
 * are traced even outside a request (background jobs), express and koa middleware are not spans (the
 * server span still gets `http.route`, also from fastify's route), SQL parameter values are never
 * recorded; Redis reads (ioredis and node-redis) carry `cache.hit`, inbound requests their queue time,
 * opossum breakers their state; pino and winston records carry the trace context and go to the SDK's log pipeline;
 * pg-pool, knex (tarn), generic-pool, mysql2 and Sequelize pools are found at construction; RabbitMQ
 * (amqplib) and Kafka (kafkajs) messages carry the producer's context.
 */
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KoaInstrumentation, KoaLayerType } from '@opentelemetry/instrumentation-koa';
import { RedisInstrumentation } from '@opentelemetry/instrumentation-redis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { metrics } from '@opentelemetry/api';
import { OpossumBreakers } from './opossum.ts';
import { BullMqTelemetry } from './bullmq.ts';
import { cacheResponseHook } from '../spans/cache.ts';
import { queueTimeHook } from '../spans/queue-time.ts';
import { httpRedactionList, undiciRedactionHook } from '../spans/redact.ts';
import { VERSION } from '../version.ts';
import type { FaultlineConfig } from '../config.ts';
import { CONTRIB_INSTRUMENTATIONS, disabledInstrumentations, OWN_INSTRUMENTATIONS } from './disabled.ts';
import { PgPoolDiscovery } from './pg-pool-discovery.ts';
import { Mysql2PoolDiscovery } from './pools/mysql2.ts';
import { SequelizePoolDiscovery } from './pools/sequelize.ts';
import { KnexPoolDiscovery } from './pools/knex.ts';
import { GenericPoolDiscovery } from './pools/generic-pool.ts';
import { FastifyRoutes } from './fastify-routes.ts';
import { pinoInstrumentation } from './pino.ts';
import { winstonInstrumentation } from './winston.ts';
import { logsExportEnabled } from '../logs/export.ts';
import type { PoolRegistry } from '../pools/registry.ts';

/**
 * @param config - faultline's configuration (decides whether BullMQ telemetry is on).
 * @param pools - registry the pool discovery fills.
 * @param env - where `OTEL_NODE_DISABLED_INSTRUMENTATIONS` is read (default `process.env`): the
 *   instrumentations named there ({@link OWN_INSTRUMENTATIONS}, {@link CONTRIB_INSTRUMENTATIONS}) are not
 *   created, so their modules are not even hooked.
 * @returns the instrumentation instances, enabled (as OpenTelemetry instrumentations are on creation), not yet
 *   given the SDK's providers.
 */
export function createInstrumentations(
  config: FaultlineConfig,
  pools: PoolRegistry,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Instrumentation[] {
  const off = disabledInstrumentations(env);
  const own = (name: string, make: () => Instrumentation): Instrumentation[] => (off.has(name) ? [] : [make()]);
  const secrets = httpRedactionList();
  const C = CONTRIB_INSTRUMENTATIONS;
  const list: Instrumentation[] = [
    ...own(
      C.http,
      () =>
        new HttpInstrumentation({
          startIncomingSpanHook: queueTimeHook(() => metrics.getMeter('@faultline/instrumentation', VERSION)),
          redactedQueryParams: secrets,
          redactedQueryParamsServer: secrets,
        }),
    ),
    // No span per express layer: `http.route` is still set on the server span (the instrumentation
    // records it before its ignore check), and a span per handler would add a fifth of the per-request cost.
    ...own(
      C.express,
      () =>
        new ExpressInstrumentation({
          ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.REQUEST_HANDLER, ExpressLayerType.ROUTER],
        }),
    ),
    // The router's layer stays a span: it is where the koa instrumentation learns the route (`http.route`).
    ...own(OWN_INSTRUMENTATIONS.koa, () => new KoaInstrumentation({ ignoreLayersType: [KoaLayerType.MIDDLEWARE] })),
    ...own(OWN_INSTRUMENTATIONS.fastify, () => new FastifyRoutes()),
    // With faultline's pool discovery on, it makes the `pg-pool.connect` spans, only for the acquires that
    // waited or failed (FAULTLINE_POOL_CONNECT_SPAN_MIN_MS); the `pg` instrumentation's own connect spans
    // (every acquire, every new connection) are off then.
    ...own(
      C.pg,
      () =>
        new PgInstrumentation({
          requireParentSpan: false,
          enhancedDatabaseReporting: false,
          ignoreConnectSpans: config.poolConnectSpanMinMs > 0 && !off.has(OWN_INSTRUMENTATIONS.pgPool),
        }),
    ),
    ...own(OWN_INSTRUMENTATIONS.pgPool, () => new PgPoolDiscovery(pools, config.poolConnectSpanMinMs)),
    // mysql2 query spans (also outside a request: it has no parent requirement) and its pools. Its default
    // formats the parameter values into `db.query.text`; the "mask" hook keeps the statement as written
    // (placeholders, no values), as pg's spans have it.
    ...own(C.mysql2, () => new MySQL2Instrumentation({ maskStatement: true, maskStatementHook: (sql: string) => sql })),
    ...own(OWN_INSTRUMENTATIONS.mysql2Pool, () => new Mysql2PoolDiscovery(pools)),
    ...own(OWN_INSTRUMENTATIONS.sequelizePool, () => new SequelizePoolDiscovery(pools)),
    ...own(OWN_INSTRUMENTATIONS.knex, () => new KnexPoolDiscovery(pools)),
    ...own(OWN_INSTRUMENTATIONS.genericPool, () => new GenericPoolDiscovery(pools)),
    ...own(C.ioredis, () => new IORedisInstrumentation({ requireParentSpan: false, responseHook: cacheResponseHook })),
    ...own(OWN_INSTRUMENTATIONS.redis, () => new RedisInstrumentation({ requireParentSpan: false, responseHook: cacheResponseHook })),
    ...own(C.undici, () => new UndiciInstrumentation({ requestHook: undiciRedactionHook })),
    ...own(OWN_INSTRUMENTATIONS.opossum, () => new OpossumBreakers()),
    // Queues: publish/send and consume/process spans; the producer's context (trace and W3C Baggage, so
    // the client ID) travels in the message headers, and the consumer's span continues it.
    ...own(C.amqplib, () => new AmqplibInstrumentation()),
    ...own(C.kafkajs, () => new KafkaJsInstrumentation()),
    ...own(C.pino, () => pinoInstrumentation(logsExportEnabled(env))),
    ...own(C.winston, () => winstonInstrumentation(logsExportEnabled(env))),
  ];
  if (config.bullmq) list.push(...own(OWN_INSTRUMENTATIONS.bullmq, () => new BullMqTelemetry()));
  return list;
}

/**
 * Names of the modules the instrumentations hook (for the ESM loader's include list, so
 * that every other module loads untouched).
 */
export function hookedModules(instrumentations: readonly Instrumentation[]): string[] {
  const names = new Set<string>();
  for (const i of instrumentations) {
    const defs = (i as { getModuleDefinitions?: () => { name: string }[] }).getModuleDefinitions?.() ?? [];
    for (const d of defs) names.add(d.name);
  }
  return [...names];
}
