/**
 * Counters the bench reads from the Collector, through `@faultline/signals`' reader of the Prometheus
 * text format: its own metrics (`:8888`: spans accepted and refused by the receiver) and the SDK
 * metrics apps export through its `prometheus` exporter (the SDK's span-processor counts).
 */
import { L, M, samplesOf, scrape, sumCounter, sumSeries } from '@faultline/signals';

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

/** How fast the backend stored what the Collector had queued for it, over one window. */
export interface StoreRate {
  /** Spans the exporter sent (the backend took) per second over the window. */
  spansPerSec: number;
  /** Batches in the exporter's sending queue at the start and the end of the window. */
  queuedBefore: number;
  queuedAfter: number;
  /** Window length, s. */
  windowS: number;
}

/**
 * The rate at which exporter `exporter` (default the Jaeger one, `otlp_grpc/jaeger`) sends spans, from the
 * Collector's own counters (`M.collectorSentSpans`, `M.collectorQueueSize`) read `windowS` seconds apart.
 * Read while its queue holds a backlog, it is the backend's storage rate.
 * @param metricsUrl - the Collector's own metrics URL. @param windowS - seconds between the reads (default 20).
 * @param exporter - the exporter's `exporter` label (default `otlp_grpc/jaeger`, collector/config.yaml).
 */
export async function storeRate(metricsUrl: string, windowS = 20, exporter = 'otlp_grpc/jaeger'): Promise<StoreRate> {
  const read = async () => {
    const samples = await scrape(metricsUrl);
    return {
      sent: sumCounter(samples, M.collectorSentSpans, { exporter }),
      queued: sumSeries(samples, M.collectorQueueSize, { exporter }),
    };
  };
  const a = await read();
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, windowS * 1000));
  const b = await read();
  const s = (Date.now() - t0) / 1000;
  return { spansPerSec: Math.round((b.sent - a.sent) / s), queuedBefore: a.queued, queuedAfter: b.queued, windowS: Math.round(s) };
}
