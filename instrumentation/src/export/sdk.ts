/**
 * Assembles and starts the OpenTelemetry SDK (providers: ./providers.ts) with faultline's parts: the client-ID
 * propagator, the stamping span processor, pool discovery and metrics, BullMQ telemetry, the log
 * pipeline (pino records stamped and redacted), OTLP/HTTP (protobuf) exporters guarded against
 * outages, and exit-time flushing.
 */
import { createNoopMeter, metrics, type MeterProvider } from '@opentelemetry/api';
import { StampingSpanProcessor } from '../spans/stamping-processor.ts';
import { ErrorTypeProcessor } from '../spans/error-type.ts';
import { ResendCountProcessor } from '../spans/resend.ts';
import { SamplingFloorProcessor } from '../spans/sampling-floor.ts';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { envDetector, hostDetector, resourceFromAttributes, serviceInstanceIdDetector } from '@opentelemetry/resources';
import { AggregationType, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { ClientIdPropagator, watchInboundRequests } from '../spans/client-id.ts';
import type { FaultlineConfig } from '../config.ts';
import { guardExporter, type ExportStats } from './export-guard.ts';
import { ExportQueue } from './export-queue.ts';
import { createInstrumentations } from '../instrumentations/list.ts';
import { checkOtelEnv } from '../otel-env.ts';
import { registerPoolMetrics } from '../pools/metrics.ts';
import { registerRuntimeMetrics } from '../runtime/memory-metrics.ts';
import { PoolRegistry } from '../pools/registry.ts';
import { installExitFlush } from './shutdown.ts';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import {
  ATTR_EDGE,
  ATTR_PROCESS_CREATION_TIME,
  ATTR_TELEMETRY_DISTRO_NAME,
  ATTR_TELEMETRY_DISTRO_VERSION,
  DISTRO_NAME,
} from '../semconv.ts';
import { VERSION } from '../version.ts';
import { watchVersions } from '../instrumentations/versions.ts';
import { exportTimeoutMs, otlpEndpoint } from './otlp.ts';
import { createLogRecordProcessors } from '../logs/export.ts';
import { shareLoggerProviderWithLegacyApi } from '../logs/legacy-logs-api.ts';
import { startProviders } from './providers.ts';

/**
 * SDK histograms dropped by a View because the Collector's `span_metrics` connector derives the same
 * figures from the spans (its duration histogram, with `client.id`).
 */
export const REDUNDANT_HISTOGRAMS: readonly string[] = [
  'http.server.request.duration',
  'http.client.request.duration',
  'db.client.operation.duration',
];

/** A started faultline SDK. */
export interface FaultlineSdk {
  /** Pools found in this process. */
  readonly pools: PoolRegistry;
  /** Export failure counters (spans, metrics and logs). */
  readonly exportStats: { readonly spans: ExportStats; readonly metrics: ExportStats; readonly logs: ExportStats };
  /** The instrumentations in use. */
  readonly instrumentations: readonly Instrumentation[];
  /** Exports everything buffered now. Never rejects. */
  flush(): Promise<void>;
  /** Flushes and stops the SDK (idempotent). Never rejects. */
  shutdown(): Promise<void>;
}

const CONTRIB_PREFIX = '@opentelemetry/instrumentation-';
const NO_METERS: MeterProvider = { getMeter: () => createNoopMeter() };

/** Parts made before the SDK starts (the preload needs the instrumentations' module names first). */
export interface SdkParts {
  /** The process's pool registry, filled by pool discovery (empty when `pg-pool` is switched off). */
  readonly pools: PoolRegistry;
  /** The instrumentations, created (hence enabled) but not yet given the SDK's providers. */
  readonly instrumentations: Instrumentation[];
}

/** Makes the pool registry and the instrumentations for `config`, not yet started. */
export function createParts(config: FaultlineConfig): SdkParts {
  const pools = new PoolRegistry(config.poolName);
  return { pools, instrumentations: createInstrumentations(config, pools) };
}

/**
 * Builds and starts the SDK. Must run before the app loads the modules to instrument.
 * @param config - from `readConfig()`.
 * @param parts - from {@link createParts} (made here when omitted).
 * @throws only on programming errors; `src/register.ts` turns any throw into one warning.
 */
export function startSdk(config: FaultlineConfig, parts: SdkParts = createParts(config)): FaultlineSdk {
  const { pools, instrumentations } = parts;
  checkOtelEnv(process.env);
  watchVersions(instrumentations);
  const exportStats = {
    spans: { failures: 0, itemsFailed: 0, failing: false },
    metrics: { failures: 0, itemsFailed: 0, failing: false },
    logs: { failures: 0, itemsFailed: 0, failing: false },
  };
  const traceExporter = guardExporter(
    new OTLPTraceExporter({ timeoutMillis: exportTimeoutMs('traces') }),
    'spans',
    otlpEndpoint('traces'),
    exportStats.spans,
  );
  const metricExporter = guardExporter(
    new OTLPMetricExporter({ timeoutMillis: exportTimeoutMs('metrics') }),
    'metrics',
    otlpEndpoint('metrics'),
    exportStats.metrics,
  );

  // OTEL_BSP_* are honoured as the SDK specification says (export-queue.ts reads them).
  const batch = new ExportQueue(traceExporter);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: config.metricExportIntervalMs,
    exportTimeoutMillis: Math.min(config.metricExportIntervalMs, 30000),
  });

  const logProcessors = createLogRecordProcessors(pools, exportStats.logs);

  watchInboundRequests();
  const sdk = startProviders({
    // Only detectors that read local facts: no cloud metadata probes at start-up.
    detectors: [serviceInstanceIdDetector, hostDetector, envDetector],
    // Readers find the edge service from the data (this resource attribute), not by name; the distro
    // attributes say which faultline release set the SDK up; the process's start (performance.timeOrigin)
    // lets tail sampling keep a deploy's first minutes.
    resource: resourceFromAttributes({
      [ATTR_EDGE]: config.edge,
      [ATTR_TELEMETRY_DISTRO_NAME]: DISTRO_NAME,
      [ATTR_TELEMETRY_DISTRO_VERSION]: VERSION,
      [ATTR_PROCESS_CREATION_TIME]: new Date(performance.timeOrigin).toISOString(),
    }),
    propagator: new CompositePropagator({
      propagators: [
        new W3CTraceContextPropagator(),
        new W3CBaggagePropagator(),
        new ClientIdPropagator({ edge: config.edge, header: config.clientIdHeader, maxLength: config.clientIdMaxLength }),
      ],
    }),
    spanProcessors: [
      new StampingSpanProcessor(pools, config.metricsClientLimit),
      new SamplingFloorProcessor(undefined, config.metricsClientLimit),
      new ResendCountProcessor(),
      new ErrorTypeProcessor(),
      batch,
    ],
    metricReaders: [reader],
    views: [
      // Request durations per span come from the Collector's span metrics (with client.id); the
      // SDK's own duration histograms would only double the work on every request.
      ...REDUNDANT_HISTOGRAMS.map((instrumentName) => ({ instrumentName, aggregation: { type: AggregationType.DROP as const } })),
    ],
    // Stamped (client ID, pool state), redacted, batched, OTLP; none with OTEL_LOGS_EXPORTER=none.
    logRecordProcessors: logProcessors,
    instrumentations,
  });
  // winston's transport emits through the older logs API package: give it the same provider.
  shareLoggerProviderWithLegacyApi();
  // The contrib instrumentations' own metrics (request/operation durations; pg's pool gauges, wrong with
  // several pools) are replaced by span metrics and faultline's pool metrics: a no-op meter spares the
  // attribute hashing and recording they would cost on every request.
  for (const i of instrumentations) {
    if (i.instrumentationName.startsWith(CONTRIB_PREFIX)) i.setMeterProvider(NO_METERS);
  }
  batch.start(metrics.getMeterProvider());
  const meter = metrics.getMeter('@faultline/instrumentation', VERSION);
  registerPoolMetrics(meter, pools);
  registerRuntimeMetrics(meter);

  let stopped: Promise<void> | undefined;
  const flush = async () => {
    try {
      // While the Collector is known to be unreachable, waiting for it would only delay the app.
      await Promise.all([
        exportStats.spans.failing ? undefined : batch.forceFlush(),
        exportStats.logs.failing ? undefined : Promise.all(logProcessors.map((p) => p.forceFlush())),
      ]);
      // Metrics last: the SDK's own counters (otel.sdk.processor.span.processed) then include the
      // spans and logs exported just above, so the app's last batch is counted too.
      if (!exportStats.metrics.failing) await reader.forceFlush();
    } catch {
      // reported by the export guard
    }
  };
  installExitFlush(flush, config.shutdownTimeoutMs);
  return {
    pools,
    exportStats,
    instrumentations,
    flush,
    shutdown: () => (stopped ??= (sdk?.shutdown() ?? Promise.resolve()).catch(() => undefined)),
  };
}
