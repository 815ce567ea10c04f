/**
 * A minimal client for Prometheus' HTTP API: `/api/v1/query`, `/api/v1/query_range` and
 * `/api/v1/query_exemplars`. Every failure is a {@link SourceError} naming Prometheus and its URL.
 */
import { reason, SourceError } from './errors.ts';

/** One instant-vector sample. */
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
  series: Record<string, string>;
}

const TIMEOUT_MS = 10_000;

async function get<T>(base: string, path: string, params: Record<string, string>): Promise<T> {
  const url = `${base}${path}?${new URLSearchParams(params)}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new SourceError('Prometheus', base, `cannot reach Prometheus at ${base} (${reason(err)})`);
  }
  const body = (await res.json().catch(() => undefined)) as { status?: string; error?: string; data?: T } | undefined;
  if (body?.status !== 'success' || body.data === undefined) {
    const what = body?.error ?? `HTTP ${res.status}${body ? '' : ', not the Prometheus API'}`;
    throw new SourceError('Prometheus', base, `Prometheus at ${base} answered ${path} with an error: ${what} (query: ${params['query']})`);
  }
  return body.data;
}

/**
 * Evaluates `query` at `time` (unix seconds).
 * @throws SourceError when Prometheus is unreachable or rejects the query.
 */
export async function instant(base: string, query: string, time: number): Promise<Sample[]> {
  const data = await get<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(base, '/api/v1/query', { query, time: String(time) });
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
 * Exemplars without a `trace_id` label are skipped.
 * @throws SourceError when Prometheus is unreachable or rejects the query.
 */
export async function exemplars(base: string, selector: string, start: number, end: number): Promise<Exemplar[]> {
  const data = await get<{ seriesLabels: Record<string, string>; exemplars: { labels: Record<string, string>; value: string; timestamp: number }[] }[]>(
    base,
    '/api/v1/query_exemplars',
    { query: selector, start: String(start), end: String(end) },
  );
  return data.flatMap((s) =>
    s.exemplars
      .filter((e) => e.labels['trace_id'] || e.labels['traceID'])
      .map((e) => ({ traceId: (e.labels['trace_id'] ?? e.labels['traceID'])!, value: Number(e.value), time: e.timestamp, series: s.seriesLabels })),
  );
}
