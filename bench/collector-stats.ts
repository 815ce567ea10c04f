/**
 * Counters the bench reads from the Collector, through `@faultline/signals`' reader of the Prometheus
 * text format: its own metrics (`:8888`: spans accepted and refused by the receiver) and the SDK
 * metrics apps export through its `prometheus` exporter (the SDK's span-processor counts).
 */
import { L, M, samplesOf, scrape, sumCounter } from '@faultline/signals';

/**
 * Sum of every series of counter `name` (with or without `_total`) whose labels hold every
 * `label: value` of `match`.
 * @param url - a `/metrics` URL. @param name - default `M.collectorAcceptedSpans`.
 * @returns the sum (a count of spans, points, …); 0 when absent.
 */
export async function counter(url: string, name: string = M.collectorAcceptedSpans, match: Record<string, string> = {}): Promise<number> {
  return sumCounter(await scrape(url), name, match);
}

/** The Collector's receiver span counters at one moment (cumulative since it started). */
export interface SpanCounters {
  /** `M.collectorAcceptedSpans`: spans the OTLP receiver took in. */
  accepted: number;
  /** `M.collectorRefusedSpans`: spans it turned away (e.g. memory_limiter). */
  refused: number;
}

/** Reads {@link SpanCounters} from the Collector's own metrics URL (`http://127.0.0.1:<8888>/metrics`). */
export async function spanCounters(metricsUrl: string): Promise<SpanCounters> {
  const [accepted, refused] = await Promise.all([counter(metricsUrl), counter(metricsUrl, M.collectorRefusedSpans)]);
  return { accepted, refused };
}

/** An SDK's own span-processor counts, from its self-observability metrics. */
export interface SdkSpanCounts {
  /** `otel.sdk.processor.span.processed` without `error.type`: handed to the exporter and exported. */
  processed: number;
  /** `…{error.type="queue_full"}`: dropped because the batch queue was full. */
  queueFull: number;
  /** `…` with any other `error.type` (e.g. failed exports). */
  otherErrors: number;
}

/**
 * The span-processor counts an app exported through the Collector's `prometheus` exporter
 * (`M.sdkSpansProcessed`; faultline turns that metric on, stock does not).
 * @param prometheusUrl - the Collector's `prometheus` exporter URL. @param job - the app's `service.name`.
 * @returns the counts, or `undefined` when the app never exported that metric.
 */
export async function sdkSpanCounts(prometheusUrl: string, job: string): Promise<SdkSpanCounts | undefined> {
  const samples = samplesOf(await scrape(prometheusUrl), M.sdkSpansProcessed, { [L.job]: job });
  const counts: SdkSpanCounts = { processed: 0, queueFull: 0, otherErrors: 0 };
  for (const s of samples) {
    const type = s.labels[L.errorType];
    if (type === undefined) counts.processed += s.value;
    else if (type === 'queue_full') counts.queueFull += s.value;
    else counts.otherErrors += s.value;
  }
  return samples.length ? counts : undefined;
}

/**
 * Waits until the Collector's exporters hold nothing in their sending queues (`M.collectorQueueSize` summed
 * over exporters is 0), polling every 500 ms: what an earlier part sent has then reached the backend, and a
 * latency measured next is not a wait behind it.
 * @param metricsUrl - the Collector's own metrics URL. @param timeoutMs - longest wait (default 180,000 ms).
 * @returns milliseconds waited; `timeoutMs` when the queue never emptied.
 */
export async function drained(metricsUrl: string, timeoutMs = 180_000): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const queued = samplesOf(await scrape(metricsUrl), M.collectorQueueSize).reduce((a, s) => a + s.value, 0);
    if (queued === 0) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 500));
  }
  return timeoutMs;
}
