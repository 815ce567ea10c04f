/**
 * The OpenTelemetry instrumentations faultline loads, and only those (no auto-loader, no
 * resource detector that does I/O). Configured for incident work: database and cache calls
 * are traced even outside a request (background jobs), express layers are not spans (the
 * server span still gets `http.route`), SQL parameter values are never recorded; Redis
 * reads carry `cache.hit`, inbound requests their queue time, opossum breakers their state; pino
 * records carry the trace context and go to the SDK's log pipeline.
 */
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { metrics } from '@opentelemetry/api';
import { OpossumBreakers } from './opossum.ts';
import { BullMqTelemetry } from './bullmq.ts';
import { cacheResponseHook } from '../spans/cache.ts';
import { queueTimeHook } from '../spans/queue-time.ts';
import { httpRedactionList, undiciRedactionHook } from '../spans/redact.ts';
import { VERSION } from '../version.ts';
import type { FaultlineConfig } from '../config.ts';
import { disabledInstrumentations, OWN_INSTRUMENTATIONS } from './disabled.ts';
import { PgPoolDiscovery } from './pg-pool-discovery.ts';
import { pinoInstrumentation } from './pino.ts';
import { logsExportEnabled } from '../logs/export.ts';
import type { PoolRegistry } from '../pools/registry.ts';

/**
 * @param config - faultline's configuration (decides whether BullMQ telemetry is on).
 * @param pools - registry the pool discovery fills.
 * @param env - where `OTEL_NODE_DISABLED_INSTRUMENTATIONS` is read (default `process.env`): faultline's
 *   own instrumentations named there ({@link OWN_INSTRUMENTATIONS}) are not created, so their modules
 *   are not even hooked. The OpenTelemetry contrib instrumentations are always created.
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
  const list: Instrumentation[] = [
    new HttpInstrumentation({
      startIncomingSpanHook: queueTimeHook(() => metrics.getMeter('@faultline/instrumentation', VERSION)),
      redactedQueryParams: secrets,
      redactedQueryParamsServer: secrets,
    }),
    // No span per express layer: `http.route` is still set on the server span (the instrumentation
    // records it before its ignore check), and a span per handler would add a fifth of the per-request cost.
    new ExpressInstrumentation({
      ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.REQUEST_HANDLER, ExpressLayerType.ROUTER],
    }),
    new PgInstrumentation({ requireParentSpan: false, enhancedDatabaseReporting: false }),
    ...own(OWN_INSTRUMENTATIONS.pgPool, () => new PgPoolDiscovery(pools)),
    new IORedisInstrumentation({ requireParentSpan: false, responseHook: cacheResponseHook }),
    new UndiciInstrumentation({ requestHook: undiciRedactionHook }),
    ...own(OWN_INSTRUMENTATIONS.opossum, () => new OpossumBreakers()),
    pinoInstrumentation(logsExportEnabled(env)),
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
