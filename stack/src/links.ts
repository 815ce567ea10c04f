/**
 * Links into the UIs of the native run that open a useful page at once: the per-client traffic graph
 * in Prometheus, and searches in Zipkin's Lens UI. PromQL comes from `@faultline/signals` (M, L and
 * its matchers), never spelled here.
 */
import { eq, L, M, selector, SERVER } from '@faultline/signals';

/**
 * Requests per second per client at the edge service: the rate of the span-metrics calls of its server
 * spans, summed by the client label (`M.calls`, `L.service`, `SERVER`, `L.clientId`).
 * @param edgeService - the service that first receives a client's requests (the demo's `lb`).
 * @param window - the rate window, a PromQL duration. Default `1m`.
 */
export function clientTrafficQuery(edgeService: string, window = '1m'): string {
  return `sum by (${L.clientId}) (rate(${selector(M.calls, eq(L.service, edgeService), SERVER)}[${window}]))`;
}

/**
 * A link that opens `expr` as a graph in Prometheus' web UI.
 *
 * The native run has Debian's Prometheus 2.42, which ships only the classic UI: its `/graph` (the React
 * UI in upstream builds) redirects to `/classic/graph`, which draws graphs itself, so the link goes
 * there directly. Its query parameters are the classic UI's: `g0.expr`, `g0.tab` (0 = graph,
 * 1 = table), `g0.range_input` (a Prometheus duration). Prometheus 3 (compose) has no classic UI.
 * @param base - Prometheus' base URL, e.g. `http://127.0.0.1:9090`.
 * @param range - the graph's time range. Default `15m`.
 */
export function prometheusGraphUrl(base: string, expr: string, range = '15m'): string {
  const q = new URLSearchParams({ 'g0.expr': expr, 'g0.tab': '0', 'g0.range_input': range });
  return `${base}/classic/graph?${q.toString()}`;
}

/** A search in Zipkin's Lens UI. */
export interface ZipkinSearch {
  /** Traces with a span of this service. */
  serviceName?: string;
  /** Span tags that must all match, e.g. `{ 'client.id': 'team-07' }` (Zipkin's `annotationQuery`). */
  tags?: Record<string, string>;
  /** End of the time window, ms since the epoch. Default: now. */
  endTs?: number;
  /** Length of the window before `endTs`, one of Lens' choices (`15m`, `1h`, `2d`, …). Default `15m`. */
  lookback?: string;
  /** Most traces to list. Default 10 (Lens' own). */
  limit?: number;
}

/**
 * A link that opens Lens' trace search with the given criteria and runs it.
 *
 * Lens (Zipkin 3.6) reads the criteria from the query string but runs the search on load only when
 * the link also carries `endTs` and a `lookback` of its own choices; `annotationQuery` is `key=value`
 * terms joined by ` and ` (Zipkin's API syntax).
 * @param uiUrl - the Lens UI, e.g. `http://127.0.0.1:9411/zipkin/`.
 */
export function zipkinSearchUrl(uiUrl: string, s: ZipkinSearch): string {
  const q = new URLSearchParams();
  if (s.serviceName) q.set('serviceName', s.serviceName);
  const tags = Object.entries(s.tags ?? {}).map(([k, v]) => `${k}=${v}`);
  if (tags.length) q.set('annotationQuery', tags.join(' and '));
  q.set('lookback', s.lookback ?? '15m');
  q.set('endTs', String(Math.round(s.endTs ?? Date.now())));
  q.set('limit', String(s.limit ?? 10));
  return `${uiUrl}?${q.toString()}`;
}

/** A link to one trace in Lens: `<uiUrl>traces/<traceId>`. */
export function zipkinTraceUrl(uiUrl: string, traceId: string): string {
  return `${uiUrl}traces/${traceId}`;
}
