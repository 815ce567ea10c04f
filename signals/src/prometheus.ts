/**
 * The one client of Prometheus' HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/)
 * in faultline: instant and range queries, exemplars, label values, and the alerts Prometheus holds.
 * Every failure is a {@link SourceError} naming Prometheus, its URL and the query.
 */
import { reason, SourceError } from './errors.ts';

/** One instant-vector sample (a scalar result is one sample without labels). */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** One range-vector series: `[unix seconds, value]` points in time order. */
export interface Series {
  labels: Record<string, string>;
  points: [number, number][];
}

/** One exemplar: the trace behind a histogram observation. */
export interface Exemplar {
  traceId: string;
  /** The observed value (ms for span-metric durations). */
  value: number;
  /** Unix seconds. */
  time: number;
  /** The labels of the series it hangs on. */
  series: Record<string, string>;
}

/** Per-request timeout, ms. */
export const PROMETHEUS_TIMEOUT_MS = 10_000;

async function get<T>(base: string, path: string, params: Record<string, string | string[]>): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
  let res: Response;
  try {
    res = await fetch(`${base}${path}?${qs}`, { signal: AbortSignal.timeout(PROMETHEUS_TIMEOUT_MS) });
  } catch (err) {
    throw new SourceError('Prometheus', base, `cannot reach Prometheus at ${base} (${reason(err)})`);
  }
  const body = (await res.json().catch(() => undefined)) as { status?: string; errorType?: string; error?: string; data?: T } | undefined;
  if (body?.status !== 'success' || body.data === undefined) {
    const what = body?.error
      ? `${body.errorType ? `${body.errorType}: ` : ''}${body.error}`
      : `HTTP ${res.status}${body ? '' : ', not the Prometheus API'}`;
    const query = typeof params['query'] === 'string' ? ` (query: ${params['query']})` : '';
    throw new SourceError('Prometheus', base, `Prometheus at ${base} answered ${path} with an error: ${what}${query}`);
  }
  return body.data;
}

type InstantData =
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] };

/**
 * Evaluates `query` at `time` (unix seconds).
 * @throws SourceError when Prometheus is unreachable or rejects the query.
 */
export async function instant(base: string, query: string, time: number): Promise<Sample[]> {
  const data = await get<InstantData>(base, '/api/v1/query', { query, time: String(time) });
  if (data.resultType !== 'vector') return [{ labels: {}, value: Number(data.result[1]) }];
  return data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}

/**
 * Evaluates `query` from `start` to `end` (unix seconds) every `step` seconds.
 * @throws SourceError when Prometheus is unreachable or rejects the query.
 */
export async function range(base: string, query: string, start: number, end: number, step: number): Promise<Series[]> {
  const data = await get<{ result: { metric: Record<string, string>; values: [number, string][] }[] }>(base, '/api/v1/query_range', {
    query,
    start: String(start),
    end: String(end),
    step: String(step),
  });
  return data.result.map((r) => ({ labels: r.metric, points: r.values.map(([t, v]) => [t, Number(v)] as [number, number]) }));
}

/**
 * Exemplars (trace IDs) of the series `selector` selects, between `start` and `end` (unix seconds).
 * Exemplars without a `trace_id` (or `traceID`) label are skipped.
 * @throws SourceError when Prometheus is unreachable or rejects the query.
 */
export async function exemplars(base: string, selector: string, start: number, end: number): Promise<Exemplar[]> {
  const data = await get<
    { seriesLabels: Record<string, string>; exemplars: { labels: Record<string, string>; value: string; timestamp: number }[] }[]
  >(base, '/api/v1/query_exemplars', { query: selector, start: String(start), end: String(end) });
  return data.flatMap((s) =>
    s.exemplars
      .filter((e) => e.labels['trace_id'] || e.labels['traceID'])
      .map((e) => ({
        traceId: (e.labels['trace_id'] ?? e.labels['traceID'])!,
        value: Number(e.value),
        time: e.timestamp,
        series: s.seriesLabels,
      })),
  );
}

/**
 * Values of `label` in the series `selector` matches between `start` and `end` (unix seconds), as
 * Grafana's `label_values()` gives them.
 * @throws SourceError when Prometheus is unreachable or rejects the selector.
 */
export async function labelValues(base: string, label: string, selector: string, start: number, end: number): Promise<string[]> {
  return get<string[]>(base, `/api/v1/label/${encodeURIComponent(label)}/values`, {
    'match[]': selector,
    start: String(start),
    end: String(end),
  });
}

/** One alert as Prometheus' `/api/v1/alerts` lists it. */
export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** `pending` (its `for` has not passed yet) or `firing`. */
  state: 'pending' | 'firing';
  /** When it became active (RFC 3339). */
  activeAt: string;
  value: string;
}

/**
 * The alerts Prometheus' rules hold now (pending and firing).
 * @throws SourceError when Prometheus is unreachable.
 */
export async function alerts(base: string): Promise<PromAlert[]> {
  return (await get<{ alerts: PromAlert[] }>(base, '/api/v1/alerts', {})).alerts;
}
