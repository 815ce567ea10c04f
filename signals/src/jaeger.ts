/**
 * The one client of Jaeger's HTTP query API (`/api/services`, `/api/traces`, `/api/traces/{id}`) in
 * faultline, and the Jaeger UI links of traces and searches. Failures are {@link SourceError}s naming
 * Jaeger and its URL.
 */
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

/** A span of a trace, with its tags flattened to a map. */
export interface JaegerSpan {
  traceId: string;
  spanId: string;
  /** The parent span's ID (`CHILD_OF` reference), if any. */
  parentId: string | undefined;
  /** The service (process) that recorded it. */
  service: string;
  /** Span name (Jaeger's operation name). */
  operation: string;
  /** `server`, `client`, `producer`, `consumer`, `internal` (the `span.kind` tag), if set. */
  kind: string | undefined;
  /** Unix microseconds. */
  start: number;
  /** Microseconds. */
  duration: number;
  tags: Record<string, string | number | boolean>;
  /**
   * The tags of the process that recorded it: its OpenTelemetry resource attributes other than
   * `service.name` (e.g. `service.instance.id`, `process.creation.time`), which tell two processes
   * of one instance apart (a restart). Empty when Jaeger sent none.
   */
  processTags: Record<string, string | number | boolean>;
}

/** A trace: its spans in Jaeger's order. */
export interface JaegerTrace {
  traceId: string;
  spans: JaegerSpan[];
}

/** A trace as Jaeger's JSON API returns it. */
export interface RawJaegerTrace {
  traceID: string;
  spans: {
    traceID: string;
    spanID: string;
    operationName: string;
    startTime: number;
    duration?: number;
    references?: { refType: string; spanID: string }[];
    tags?: { key: string; value: string | number | boolean }[];
    processID: string;
  }[];
  processes: Record<string, { serviceName: string; tags?: { key: string; value: string | number | boolean }[] }>;
}

/** Per-request timeout, ms. */
export const JAEGER_TIMEOUT_MS = 10_000;

async function get<T>(base: string, path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(JAEGER_TIMEOUT_MS) });
  } catch (err) {
    throw new SourceError('Jaeger', base, `cannot reach Jaeger at ${base} (${reason(err)})`);
  }
  const body = (await res.json().catch(() => undefined)) as T | undefined;
  if (!res.ok || body === undefined) {
    throw new SourceError(
      'Jaeger',
      base,
      `Jaeger at ${base} answered ${path.split('?')[0]} with HTTP ${res.status}${body === undefined ? ' (not the Jaeger query API)' : ''}`,
    );
  }
  return body;
}

/** Converts Jaeger's JSON trace into a {@link JaegerTrace}. */
export function parseTrace(raw: RawJaegerTrace): JaegerTrace {
  return {
    traceId: raw.traceID,
    spans: raw.spans.map((s) => {
      const tags: Record<string, string | number | boolean> = {};
      for (const t of s.tags ?? []) tags[t.key] = t.value;
      return {
        traceId: s.traceID,
        spanId: s.spanID,
        parentId: s.references?.find((r) => r.refType === 'CHILD_OF')?.spanID,
        service: raw.processes[s.processID]?.serviceName ?? '?',
        operation: s.operationName,
        kind: tags['span.kind'] as string | undefined,
        start: s.startTime,
        duration: s.duration ?? 0,
        tags,
        processTags: Object.fromEntries((raw.processes[s.processID]?.tags ?? []).map((t) => [t.key, t.value])),
      };
    }),
  };
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
  const p = new URLSearchParams({
    service: q.service,
    start: String(Math.floor(start * 1e6)),
    end: String(Math.ceil(end * 1e6)),
    limit: String(limit),
  });
  if (q.tags && Object.keys(q.tags).length) p.set('tags', JSON.stringify(q.tags));
  if (q.operation) p.set('operation', q.operation);
  if (q.minDuration) p.set('minDuration', q.minDuration);
  return p;
}

/**
 * Up to `limit` whole traces matching `q` between `start` and `end` (unix seconds).
 * @throws SourceError when Jaeger is unreachable or rejects the search.
 */
export async function findTraces(base: string, q: JaegerSearch, start: number, end: number, limit: number): Promise<JaegerTrace[]> {
  const body = await get<{ data: RawJaegerTrace[] | null }>(base, `/api/traces?${searchParams(q, start, end, limit)}`);
  return (body.data ?? []).map(parseTrace);
}

/**
 * One trace by ID, or `undefined` when Jaeger does not have it.
 * @throws SourceError when Jaeger is unreachable.
 */
export async function getTrace(base: string, traceId: string): Promise<JaegerTrace | undefined> {
  let res: Response;
  try {
    res = await fetch(`${base}/api/traces/${encodeURIComponent(traceId)}`, { signal: AbortSignal.timeout(JAEGER_TIMEOUT_MS) });
  } catch (err) {
    throw new SourceError('Jaeger', base, `cannot reach Jaeger at ${base} (${reason(err)})`);
  }
  if (res.status === 404) return undefined;
  const body = (await res.json().catch(() => undefined)) as { data?: RawJaegerTrace[] | null } | undefined;
  if (!res.ok || body === undefined)
    throw new SourceError('Jaeger', base, `Jaeger at ${base} answered /api/traces/${traceId} with HTTP ${res.status}`);
  const raw = body.data?.[0];
  return raw ? parseTrace(raw) : undefined;
}

/**
 * Every span of up to `limit` traces matching `q` between `start` and `end` (unix seconds), so callers
 * can look at the matching ones.
 * @throws SourceError when Jaeger is unreachable or rejects the search.
 */
export async function searchSpans(base: string, q: JaegerSearch, start: number, end: number, limit: number): Promise<JaegerSpan[]> {
  return (await findTraces(base, q, start, end, limit)).flatMap((t) => t.spans);
}

/**
 * Up to `limit` trace IDs matching `q` between `start` and `end` (unix seconds), newest first.
 * @throws SourceError when Jaeger is unreachable or rejects the search.
 */
export async function searchTraceIds(base: string, q: JaegerSearch, start: number, end: number, limit: number): Promise<string[]> {
  const spans = await searchSpans(base, q, start, end, limit);
  const newest = new Map<string, number>();
  for (const s of spans) newest.set(s.traceId, Math.max(newest.get(s.traceId) ?? 0, s.start));
  return [...newest]
    .sort((a, b) => b[1] - a[1])
    .map(([id]) => id)
    .slice(0, limit);
}

/** The Jaeger UI link of one trace. */
export function traceUrl(base: string, traceId: string): string {
  return `${base}/trace/${traceId}`;
}

/** The Jaeger UI link of a search between `start` and `end` (unix seconds), 20 traces. */
export function searchUrl(base: string, q: JaegerSearch, start: number, end: number): string {
  return `${base}/search?${searchParams(q, start, end, 20)}`;
}
