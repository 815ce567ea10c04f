/**
 * The OpenTelemetry providers (traces, metrics, logs), built and registered as `@opentelemetry/sdk-node`'s
 * `NodeSDK` (0.300) builds them from the standard `OTEL_*` variables, without importing it: `NodeSDK`'s
 * module imports every exporter it could make from the environment (OTLP over gRPC, HTTP/JSON and
 * protobuf, Prometheus, console) whether the app uses them or not, and faultline brings its own exporters.
 * Issue 20, lever 4; the bench's `fl:…` rows and the preload's memory test measure it.
 *
 * What is read here, as the SDK environment specification says
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/) and `NodeSDK` does:
 * `OTEL_SDK_DISABLED` (nothing registered), `OTEL_LOG_LEVEL` (the diagnostic logger),
 * `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`, the span limits (`OTEL_SPAN_*_LIMIT`,
 * `OTEL_ATTRIBUTE_*_LIMIT`), the log record limits (`OTEL_LOGRECORD_*_LIMIT`), and
 * `OTEL_NODE_EXPERIMENTAL_SDK_METRICS` (the SDK's own metrics). The resource comes from the given
 * detectors (`OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` through `envDetector`).
 */
import { context, diag, DiagConsoleLogger, logs, metrics, propagation, trace, type TextMapPropagator } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { diagLogLevelFromString, getBooleanFromEnv, getNumberFromEnv, getStringFromEnv } from '@opentelemetry/core';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { detectResources, type Resource, type ResourceDetector } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, type MetricReader, type ViewOptions } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanLimits,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

/** What {@link startProviders} builds the providers from. */
export interface ProviderParts {
  /** Attributes of this SDK's own (merged under the detected ones, as `NodeSDK`'s `resource` option). */
  readonly resource: Resource;
  /** Resource detectors run at start (synchronous attributes, asynchronous ones settle later). */
  readonly detectors: readonly ResourceDetector[];
  /** The global propagator. */
  readonly propagator: TextMapPropagator;
  /** Span processors, in order. */
  readonly spanProcessors: SpanProcessor[];
  /** Metric readers. */
  readonly metricReaders: MetricReader[];
  /** Metric views. */
  readonly views: ViewOptions[];
  /** Log record processors (none: a logger provider that drops every record). */
  readonly logRecordProcessors: LogRecordProcessor[];
  /** Instrumentations to give the global providers. */
  readonly instrumentations: Instrumentation[];
}

/** The registered providers. */
export interface Providers {
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider;
  readonly loggerProvider: LoggerProvider;
  /** Shuts the three down (flushing). Rejects as the providers do. */
  shutdown(): Promise<void>;
}

/**
 * The sampler named by `OTEL_TRACES_SAMPLER` (`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`,
 * `parentbased_always_off`, `parentbased_traceidratio`; the ratio from `OTEL_TRACES_SAMPLER_ARG`, 1 when blank or
 * outside [0, 1]). `undefined` when unset or unknown: the tracer provider's default, `parentbased_always_on`.
 * Unknown values and bad ratios are reported by `checkOtelEnv` (src/otel-env.ts).
 */
export function samplerFromEnv(): Sampler | undefined {
  const ratio = (): number => {
    const r = getNumberFromEnv('OTEL_TRACES_SAMPLER_ARG');
    return r === undefined || r < 0 || r > 1 ? 1 : r;
  };
  switch (getStringFromEnv('OTEL_TRACES_SAMPLER')) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio());
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio()) });
    default:
      return undefined;
  }
}

/** Span limits from `OTEL_SPAN_*_LIMIT`, falling back to `OTEL_ATTRIBUTE_*_LIMIT`; unset ones keep the SDK's defaults. */
export function spanLimitsFromEnv(): SpanLimits {
  return {
    attributeCountLimit: getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT') ?? getNumberFromEnv('OTEL_ATTRIBUTE_COUNT_LIMIT'),
    attributeValueLengthLimit:
      getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? getNumberFromEnv('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
    eventCountLimit: getNumberFromEnv('OTEL_SPAN_EVENT_COUNT_LIMIT'),
    linkCountLimit: getNumberFromEnv('OTEL_SPAN_LINK_COUNT_LIMIT'),
    attributePerEventCountLimit: getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT'),
    attributePerLinkCountLimit: getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT'),
  };
}

/** Log record limits from `OTEL_LOGRECORD_*_LIMIT`, falling back to `OTEL_ATTRIBUTE_*_LIMIT` (positive values only). */
export function logRecordLimitsFromEnv(): { attributeCountLimit?: number; attributeValueLengthLimit?: number } {
  const positive = (name: string) => {
    const v = getNumberFromEnv(name);
    return v !== undefined && v > 0 ? v : undefined;
  };
  return {
    attributeCountLimit: positive('OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT') ?? positive('OTEL_ATTRIBUTE_COUNT_LIMIT'),
    attributeValueLengthLimit: positive('OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? positive('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
  };
}

/**
 * Builds the three providers and registers them, the context manager (`AsyncLocalStorage`) and the propagator
 * globally, and gives the instrumentations the global providers, in `NodeSDK.start()`'s order.
 * @returns the providers, or `undefined` when `OTEL_SDK_DISABLED=true` (nothing is registered; the
 *   instrumentations stay on the API's no-op providers).
 */
export function startProviders(parts: ProviderParts): Providers | undefined {
  const level = getStringFromEnv('OTEL_LOG_LEVEL');
  if (level !== undefined) diag.setLogger(new DiagConsoleLogger(), { logLevel: diagLogLevelFromString(level) });
  if (getBooleanFromEnv('OTEL_SDK_DISABLED')) return undefined;

  registerInstrumentations({ instrumentations: parts.instrumentations });
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(parts.propagator);
  const resource = parts.resource.merge(detectResources({ detectors: [...parts.detectors] }));
  const sdkMetricsEnabled = getBooleanFromEnv('OTEL_NODE_EXPERIMENTAL_SDK_METRICS');

  const meterProvider = new MeterProvider({ resource, views: parts.views, readers: parts.metricReaders, sdkMetricsEnabled });
  metrics.setGlobalMeterProvider(meterProvider);
  for (const i of parts.instrumentations) i.setMeterProvider(metrics.getMeterProvider());
  const selfObs = sdkMetricsEnabled ? meterProvider : undefined;

  const tracerProvider = new TracerProvider({
    sampler: samplerFromEnv(),
    spanLimits: spanLimitsFromEnv(),
    resource,
    meterProvider: selfObs,
    spanProcessors: parts.spanProcessors,
  });
  trace.setGlobalTracerProvider(tracerProvider);

  const loggerProvider = new LoggerProvider({
    logRecordLimits: logRecordLimitsFromEnv(),
    resource,
    processors: parts.logRecordProcessors,
    meterProvider: selfObs,
  });
  logs.setGlobalLoggerProvider(loggerProvider);

  return {
    tracerProvider,
    meterProvider,
    loggerProvider,
    shutdown: () => Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]).then(() => undefined),
  };
}
