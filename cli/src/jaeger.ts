/** The parts of Jaeger's HTTP query API `faultline incident` uses; failures name Jaeger and its URL. */
import { reason, SourceError } from './errors.ts';

/** What to search for: Jaeger's `/api/traces` parameters. */
export interface JaegerSearch {
  service: string;
  /** Span tags that must all match, e.g. `{ "client.id": "team-17" }`. */
  tags?: Record<string, string>;
  /** Span name. */
  operation?: string;
  /** e.g. `100ms`. */
  minDuration?: string;
}

/** A span as returned inside a trace, with tags flattened. */
export interface JaegerSpan {
  traceId: string;
  operation: string;
  /** Unix microseconds. */
  start: number;
  tags: Record<string, string | number | boolean>;
}

const TIMEOUT_MS = 10_000;

async function get<T>(base: string, path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new SourceError('Jaeger', base, `cannot reach Jaeger at ${base} (${reason(err)})`);
  }
  const body = (await res.json().catch(() => undefined)) as T | undefined;
  if (!res.ok || body === undefined) {
    throw new SourceError('Jaeger', base, `Jaeger at ${base} answered ${path.split('?')[0]} with HTTP ${res.status}${body === undefined ? ' (not the Jaeger query API)' : ''}`);
  }
  return body;
}

/**
 * Service names Jaeger has seen.
 * @throws SourceError when Jaeger is unreachable.
 */
export async function services(base: string): Promise<string[]> {
  return (await get<{ data: string[] | null }>(base, '/api/services')).data ?? [];
}

/** The query string of a search between `start` and `end` (unix seconds). */
function searchParams(q: JaegerSearch, start: number, end: number, limit: number): URLSearchParams {
  const p = new URLSearchParams({ service: q.service, start: String(Math.floor(start * 1e6)), end: String(Math.ceil(end * 1e6)), limit: String(limit) });
  if (q.tags && Object.keys(q.tags).length) p.set('tags', JSON.stringify(q.tags));
  if (q.operation) p.set('operation', q.operation);
  if (q.minDuration) p.set('minDuration', q.minDuration);
  return p;
}

/**
 * Spans of up to `limit` traces matching `q` between `start` and `end` (unix seconds): every span of
 * each trace, so callers can look at the matching ones.
 * @throws SourceError when Jaeger is unreachable or rejects the search.
 */
export async function searchSpans(base: string, q: JaegerSearch, start: number, end: number, limit: number): Promise<JaegerSpan[]> {
  type Raw = { traceID: string; spans: { operationName: string; startTime: number; tags?: { key: string; value: string | number | boolean }[] }[] };
  const body = await get<{ data: Raw[] | null }>(base, `/api/traces?${searchParams(q, start, end, limit)}`);
  return (body.data ?? []).flatMap((t) =>
    t.spans.map((s) => ({ traceId: t.traceID, operation: s.operationName, start: s.startTime, tags: Object.fromEntries((s.tags ?? []).map((x) => [x.key, x.value])) })),
  );
}

/**
 * Up to `limit` trace IDs matching `q` between `start` and `end` (unix seconds), newest first.
 * @throws SourceError when Jaeger is unreachable or rejects the search.
 */
export async function searchTraceIds(base: string, q: JaegerSearch, start: number, end: number, limit: number): Promise<string[]> {
  const spans = await searchSpans(base, q, start, end, limit);
  const newest = new Map<string, number>();
  for (const s of spans) newest.set(s.traceId, Math.max(newest.get(s.traceId) ?? 0, s.start));
  return [...newest].sort((a, b) => b[1] - a[1]).map(([id]) => id).slice(0, limit);
}

/** The Jaeger UI link of one trace. */
export function traceUrl(base: string, traceId: string): string {
  return `${base}/trace/${traceId}`;
}

/** The Jaeger UI link of a search between `start` and `end` (unix seconds). */
export function searchUrl(base: string, q: JaegerSearch, start: number, end: number): string {
  return `${base}/search?${searchParams(q, start, end, 20)}`;
}
