/** A minimal client of Prometheus' HTTP API (`/api/v1/query`, `/query_range`, label values). */

/** One series of a result: its labels and its samples `[unix seconds, value]`. */
export interface Series {
  metric: Record<string, string>;
  values: [number, string][];
}

/** Thrown when Prometheus rejects a query (parse or execution error), with its message. */
export class PromError extends Error {}

async function get(base: string, path: string, params: Record<string, string | string[]>): Promise<unknown> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
  const res = await fetch(`${base}${path}?${qs}`, { signal: AbortSignal.timeout(30_000) });
  const body = (await res.json()) as { status: string; data?: unknown; errorType?: string; error?: string };
  if (body.status !== 'success') throw new PromError(`${body.errorType}: ${body.error}`);
  return body.data;
}

/** Instant query at `time` (unix seconds). */
export async function instantQuery(base: string, expr: string, time: number): Promise<Series[]> {
  const data = (await get(base, '/api/v1/query', { query: expr, time: String(time) })) as { resultType: string; result: unknown };
  if (data.resultType === 'scalar') return [{ metric: {}, values: [data.result as [number, string]] }];
  return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map((r) => ({ metric: r.metric, values: [r.value] }));
}

/** Range query from `start` to `end` (unix seconds) every `stepS` seconds. */
export async function rangeQuery(base: string, expr: string, start: number, end: number, stepS: number): Promise<Series[]> {
  const data = (await get(base, '/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(stepS) })) as {
    result: Series[];
  };
  return data.result;
}

/** Values of `label` in the series matching `selector` between `start` and `end`, as `label_values()` gives them. */
export async function labelValues(base: string, label: string, selector: string, start: number, end: number): Promise<string[]> {
  return (await get(base, `/api/v1/label/${encodeURIComponent(label)}/values`, { 'match[]': selector, start: String(start), end: String(end) })) as string[];
}

/** One exemplar: its labels (`trace_id`, `span_id`) and value. */
export interface Exemplar {
  labels: Record<string, string>;
  value: string;
  timestamp: number;
}

/** Exemplars of the series `expr` selects, between `start` and `end` (unix seconds). */
export async function queryExemplars(base: string, expr: string, start: number, end: number): Promise<Exemplar[]> {
  const data = (await get(base, '/api/v1/query_exemplars', { query: expr, start: String(start), end: String(end) })) as { exemplars: Exemplar[] }[];
  return data.flatMap((d) => d.exemplars);
}
