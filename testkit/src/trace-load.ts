/**
 * A paced stream of demo-shaped traces sent straight to an OTLP/HTTP receiver, for measuring the trace
 * side (Collector, Jaeger) without running the fleet: each trace is an edge server span → a backend
 * server span → a Redis read, a pool connect and a query, stamped with one of `clients` client IDs
 * (5 spans, like a demo `GET /v1/stock/:id`). A share of them fail (status ERROR on the query and the
 * backend span), so the error policies see realistic traffic.
 */
import { newSpanId, newTraceId, sendTraces, type TestResourceSpans, type TestSpan } from './otlp.ts';

/** Options of {@link traceLoad}. */
export interface TraceLoadOptions {
  /** Traces per second. Default 42 (the demo's rate, measured). */
  rate?: number;
  /** How long to send, ms. */
  durationMs: number;
  /** Distinct client IDs (`team-00` …). Default 24. */
  clients?: number;
  /** Share of traces that fail, 0–1. Default 0.01. */
  errorShare?: number;
  /** Service names of the two tiers. Default `load-edge`, `load-backend`. */
  services?: [string, string];
  /** Stops early when aborted. */
  signal?: AbortSignal;
  /** Called with the trace IDs of every batch the receiver accepted (not of refused ones), so a test can look each one up. */
  onAccepted?: (traceIds: string[]) => void;
}

/** What {@link traceLoad} sent. */
export interface TraceLoadResult {
  traces: number;
  spans: number;
  /** Failed sends (the receiver refused or was unreachable). */
  failedSends: number;
}

const SPANS_PER_TRACE = 5;

/**
 * Sends demo-shaped traces to `<otlpBaseUrl>/v1/traces` at `rate` traces/s (one POST every 200 ms)
 * until `durationMs` is over. The resources carry `process.creation.time` = the load's start, as
 * processes started with it would.
 * @returns counts of what was sent; never throws for a refused send (counted in `failedSends`).
 */
export async function traceLoad(otlpBaseUrl: string, opts: TraceLoadOptions): Promise<TraceLoadResult> {
  const rate = opts.rate ?? 42;
  const clients = opts.clients ?? 24;
  const errorShare = opts.errorShare ?? 0.01;
  const [edgeName, backendName] = opts.services ?? ['load-edge', 'load-backend'];
  const created = new Date().toISOString();
  const tickMs = 200;
  const t0 = Date.now();
  const out: TraceLoadResult = { traces: 0, spans: 0, failedSends: 0 };
  let owed = 0;
  while (Date.now() - t0 < opts.durationMs && !opts.signal?.aborted) {
    const tick = Date.now();
    owed += (rate * tickMs) / 1000;
    const n = Math.floor(owed);
    owed -= n;
    const edge: TestSpan[] = [];
    const backend: TestSpan[] = [];
    for (let i = 0; i < n; i++) {
      const traceId = newTraceId();
      const client = `team-${String(Math.floor(Math.random() * clients)).padStart(2, '0')}`;
      const failed = Math.random() < errorShare;
      const start = Date.now() - 30;
      const c = { 'client.id': client };
      const root: TestSpan = {
        traceId,
        spanId: newSpanId(),
        name: 'GET /v1/stock/:id',
        kind: 'server',
        startMs: start,
        durationMs: 25,
        attributes: { ...c, 'http.route': '/v1/stock/:id', 'http.request.method': 'GET', 'http.response.status_code': failed ? 500 : 200 },
      };
      const server: TestSpan = {
        traceId,
        spanId: newSpanId(),
        parentSpanId: root.spanId,
        name: 'GET /v1/stock/:id',
        kind: 'server',
        startMs: start + 2,
        durationMs: 20,
        attributes: { ...c, 'http.route': '/v1/stock/:id', 'http.response.status_code': failed ? 500 : 200 },
        ...(failed ? { error: 'query failed' } : {}),
      };
      const pool = {
        'db.client.connection.pool.name': 'api',
        'db.client.connection.pool.used': 3,
        'db.client.connection.pool.max': 10,
        'db.client.connection.pool.pending_requests': 0,
      };
      backend.push(
        server,
        {
          traceId,
          spanId: newSpanId(),
          parentSpanId: server.spanId,
          name: 'get',
          kind: 'client',
          startMs: start + 3,
          durationMs: 1,
          attributes: { ...c, 'db.system.name': 'redis', 'cache.hit': false },
        },
        {
          traceId,
          spanId: newSpanId(),
          parentSpanId: server.spanId,
          name: 'pg-pool.connect',
          startMs: start + 5,
          durationMs: 0.5,
          attributes: { ...c, ...pool },
        },
        {
          traceId,
          spanId: newSpanId(),
          parentSpanId: server.spanId,
          name: 'pg.query:SELECT faultline',
          kind: 'client',
          startMs: start + 6,
          durationMs: 8,
          attributes: { ...c, ...pool, 'db.system.name': 'postgresql', 'db.query.text': 'SELECT qty FROM stock WHERE id = $1' },
          ...(failed ? { error: 'query failed' } : {}),
        },
      );
      edge.push(root);
    }
    if (n > 0) {
      const groups: TestResourceSpans[] = [
        { service: edgeName, resource: { 'service.instance.id': `${edgeName}-1`, 'process.creation.time': created }, spans: edge },
        { service: backendName, resource: { 'service.instance.id': `${backendName}-1`, 'process.creation.time': created }, spans: backend },
      ];
      try {
        await sendTraces(otlpBaseUrl, groups);
        opts.onAccepted?.(edge.map((span) => span.traceId));
        out.traces += n;
        out.spans += n * SPANS_PER_TRACE;
      } catch {
        out.failedSends++;
      }
    }
    await new Promise((r) => setTimeout(r, Math.max(0, tickMs - (Date.now() - tick))));
  }
  return out;
}
