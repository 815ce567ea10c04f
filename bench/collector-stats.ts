/**
 * Reading counters in Prometheus text format: the Collector's own metrics (`:8888`,
 * `otelcol_receiver_accepted_spans`, `otelcol_receiver_refused_spans`, …) and the SDK metrics apps
 * export through it (its `prometheus` exporter, e.g. `otel_sdk_processor_span_processed_total`).
 */

/**
 * Sum of every series of counter `name` (with or without `_total`) whose labels contain every
 * `label="value"` of `match`.
 * @param url - a `/metrics` URL. @returns the sum (a count of spans, points, …); 0 when absent.
 */
export async function counter(url: string, name = 'otelcol_receiver_accepted_spans', match: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(url)).text();
  const wanted = Object.entries(match).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:_total)?(\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))) {
    const labels = m[1] ?? '';
    if (wanted.every((w) => labels.includes(w))) sum += Number(m[2]);
  }
  return sum;
}

/** The Collector's receiver span counters at one moment (cumulative since it started). */
export interface SpanCounters {
  /** `otelcol_receiver_accepted_spans`: spans the OTLP receiver took in. */
  accepted: number;
  /** `otelcol_receiver_refused_spans`: spans it turned away (e.g. memory_limiter). */
  refused: number;
}

/** Reads {@link SpanCounters} from the Collector's own metrics URL (`http://127.0.0.1:<8888>/metrics`). */
export async function spanCounters(metricsUrl: string): Promise<SpanCounters> {
  const [accepted, refused] = await Promise.all([counter(metricsUrl), counter(metricsUrl, 'otelcol_receiver_refused_spans')]);
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
 * (`otel_sdk_processor_span_processed_total`; faultline turns that metric on, stock does not).
 * @param prometheusUrl - the Collector's `prometheus` exporter URL. @param job - the app's `service.name`.
 * @returns the counts, or `undefined` when the app never exported that metric.
 */
export async function sdkSpanCounts(prometheusUrl: string, job: string): Promise<SdkSpanCounts | undefined> {
  const text = await (await fetch(prometheusUrl)).text();
  const counts: SdkSpanCounts = { processed: 0, queueFull: 0, otherErrors: 0 };
  let seen = false;
  for (const m of text.matchAll(/^otel_sdk_processor_span_processed_total\{([^}]*)\} ([0-9.e+-]+)$/gm)) {
    if (!m[1]!.includes(`job="${job}"`)) continue;
    seen = true;
    const type = /error_type="([^"]*)"/.exec(m[1]!)?.[1];
    if (type === undefined) counts.processed += Number(m[2]);
    else if (type === 'queue_full') counts.queueFull += Number(m[2]);
    else counts.otherErrors += Number(m[2]);
  }
  return seen ? counts : undefined;
}
