/**
 * Telling when the span export queue drops spans, from the SDK's own self-observability metric
 * rather than from its internals: the BatchSpanProcessor counts every dropped span in
 * `otel.sdk.processor.span.processed` with `error.type=queue_full` (semantic conventions, "OTel SDK
 * metrics": https://opentelemetry.io/docs/specs/semconv/otel/sdk-metrics/). faultline hands the
 * processor a MeterProvider that passes every instrument through unchanged and, in addition, calls
 * back when that counter is incremented with `queue_full`.
 */
import type { Attributes, Context, Counter, Meter, MeterProvider, MeterOptions, MetricOptions } from '@opentelemetry/api';

/** The SDK span processors' counter of finished spans, `error.type` set on failures and drops. */
export const METRIC_SPAN_PROCESSED = 'otel.sdk.processor.span.processed';
/** `error.type` of the spans a processor dropped because its queue was full. */
export const QUEUE_FULL = 'queue_full';

/**
 * @param provider - the MeterProvider the metrics really go to.
 * @param onFull - called (synchronously, with no arguments) each time the processor reports dropped
 *   spans; it must be cheap and must not throw (it is guarded anyway).
 * @returns a MeterProvider to pass as the processor's `selfObsMeterProvider`.
 */
export function onQueueFull(provider: MeterProvider, onFull: () => void): MeterProvider {
  return {
    getMeter(name: string, version?: string, options?: MeterOptions): Meter {
      const meter = provider.getMeter(name, version, options);
      return new Proxy(meter, {
        get(target, key) {
          if (key !== 'createCounter') {
            const value = Reflect.get(target, key, target);
            return typeof value === 'function' ? value.bind(target) : value;
          }
          return (metric: string, opts?: MetricOptions): Counter => {
            const counter = target.createCounter(metric, opts);
            return metric === METRIC_SPAN_PROCESSED ? watched(counter, onFull) : counter;
          };
        },
      });
    },
  };
}

function watched(counter: Counter, onFull: () => void): Counter {
  return {
    add(value: number, attributes?: Attributes, context?: Context): void {
      counter.add(value, attributes, context);
      if (attributes?.['error.type'] === QUEUE_FULL && value > 0) {
        try {
          onFull();
        } catch {
          // never in the app's way
        }
      }
    },
  };
}
