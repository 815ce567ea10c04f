/**
 * A per-client floor for the Collector's tail sampling: the first trace this process starts for each
 * client in every interval is marked `faultline.sampling.floor=true`, and the Collector keeps marked
 * traces (collector/config.yaml, policy `client-floor`). The Collector cannot do this itself: its
 * tail sampler keeps no per-client state. The state lives here, where the trace starts.
 */
import { trace, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { clientIdOf } from './client-id.ts';
import { DEFAULTS } from '../config.ts';
import { ATTR_SAMPLING_FLOOR } from '../semconv.ts';

/** Default interval of the floor, ms: one kept trace per client per minute per process. */
export const SAMPLING_FLOOR_INTERVAL_MS = 60_000;

/**
 * Marks `faultline.sampling.floor=true` on a trace's root span (a span with no valid parent in its
 * context: the process starts the trace) when this process has not marked one for the span's
 * `client.id` (from baggage, as {@link clientIdOf}) within `intervalMs`. Spans that continue a
 * trace from elsewhere are never marked: the trace's starter decides. Remembers at most `clientLimit`
 * clients (later ones get no floor); costs one map lookup per root span, nothing on other spans.
 */
export class SamplingFloorProcessor implements SpanProcessor {
  readonly #last = new Map<string, number>();
  readonly #intervalMs: number;
  readonly #clientLimit: number;
  readonly #now: () => number;

  /**
   * @param intervalMs - one marked trace per client per this many ms. Default {@link SAMPLING_FLOOR_INTERVAL_MS}.
   * @param clientLimit - clients remembered, ≥ 1. Default `DEFAULTS.metricsClientLimit` (200, `FAULTLINE_METRICS_CLIENT_LIMIT`).
   * @param now - clock, ms (tests). Default `Date.now`.
   */
  constructor(
    intervalMs: number = SAMPLING_FLOOR_INTERVAL_MS,
    clientLimit: number = DEFAULTS.metricsClientLimit,
    now: () => number = Date.now,
  ) {
    this.#intervalMs = intervalMs;
    this.#clientLimit = clientLimit;
    this.#now = now;
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      if (trace.getSpanContext(parentContext) !== undefined) return;
      const id = clientIdOf(parentContext);
      const now = this.#now();
      const last = this.#last.get(id);
      if (last !== undefined && now - last < this.#intervalMs) return;
      if (last === undefined && this.#last.size >= this.#clientLimit) return;
      this.#last.set(id, now);
      span.setAttribute(ATTR_SAMPLING_FLOOR, true);
    } catch {
      // A span without the mark is better than an exception in the app.
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
