/**
 * The span export queue: OpenTelemetry's BatchSpanProcessor (bounded by `OTEL_BSP_MAX_QUEUE_SIZE`,
 * default 2048), created once the SDK's MeterProvider exists so that the SDK's own
 * self-observability metrics are on — `otel.sdk.processor.span.processed` (with
 * `error.type=queue_full` for spans dropped because the queue was full),
 * `otel.sdk.processor.span.queue.size` and `.capacity` (semantic conventions, "OTel SDK metrics").
 * The first drop also gives one `[faultline]` warning, told by that same `processed` counter (see
 * `./queue-full.ts`); nothing is logged per span, and no SDK internals are read.
 */
import type { Context, MeterProvider } from '@opentelemetry/api';
import { getNumberFromEnv } from '@opentelemetry/core';
import { BatchSpanProcessor, type ReadableSpan, type Span, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { warnOnce } from '../warn.ts';
import { onQueueFull } from './queue-full.ts';

/**
 * faultline's default for `OTEL_BSP_SCHEDULE_DELAY` (the specification's is 5000 ms): during an
 * incident a trace should be in Jaeger within seconds; a batch a second is cheap.
 */
export const DEFAULT_SCHEDULE_DELAY_MS = 1000;

/** `OTEL_BSP_MAX_QUEUE_SIZE`'s specification default. */
export const DEFAULT_MAX_QUEUE_SIZE = 2048;

/**
 * A span processor that becomes a BatchSpanProcessor when {@link ExportQueue.start} is called
 * (right after the SDK started, before the app's first line); spans ended before that are none.
 */
export class ExportQueue implements SpanProcessor {
  readonly #exporter: SpanExporter;
  readonly #maxQueueSize: number;
  #inner: BatchSpanProcessor | undefined;

  /** @param exporter - the (guarded) OTLP span exporter. */
  constructor(exporter: SpanExporter) {
    this.#exporter = exporter;
    this.#maxQueueSize = getNumberFromEnv('OTEL_BSP_MAX_QUEUE_SIZE') ?? DEFAULT_MAX_QUEUE_SIZE;
  }

  /**
   * Creates the batch processor with the SDK's `OTEL_BSP_*` settings and `meterProvider` for its
   * self-observability metrics.
   */
  start(meterProvider: MeterProvider): void {
    this.#inner ??= new BatchSpanProcessor({
      exporter: this.#exporter,
      selfObsMeterProvider: onQueueFull(meterProvider, () => this.#warnQueueFull()),
      maxQueueSize: this.#maxQueueSize,
      scheduledDelayMillis: getNumberFromEnv('OTEL_BSP_SCHEDULE_DELAY') ?? DEFAULT_SCHEDULE_DELAY_MS,
      exportTimeoutMillis: getNumberFromEnv('OTEL_BSP_EXPORT_TIMEOUT'),
      maxExportBatchSize: getNumberFromEnv('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
    });
  }

  onStart(span: Span, parentContext: Context): void {
    this.#inner?.onStart(span, parentContext);
  }

  #warnQueueFull(): void {
    warnOnce(
      'queue-full',
      `the span export queue is full (OTEL_BSP_MAX_QUEUE_SIZE=${this.#maxQueueSize}): spans are dropped and counted in ` +
        'otel.sdk.processor.span.processed{error.type="queue_full"}; the app is not affected.',
    );
  }

  onEnd(span: ReadableSpan): void {
    this.#inner?.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.#inner?.forceFlush() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.#inner?.shutdown() ?? Promise.resolve();
  }
}
