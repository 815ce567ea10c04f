/**
 * Fake Prometheus and Jaeger HTTP APIs on loopback that answer `faultline incident`'s queries from a
 * recorded {@link Observations} fixture (range points shifted to the asked window), for CLI tests
 * without a stack. Unknown queries get an empty result, as Prometheus gives for unknown metrics.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { L } from '@faultline/signals';
import { INSTANT_NAMES, instantQueries, RANGE_NAMES, rangeQueries } from '../src/checks/index.ts';
import { edgeQueries } from '../src/edge.ts';
import type { Observations } from '../src/observations.ts';

/** What the fakes should do differently from answering the fixture. */
export interface FakeOptions {
  /** Prometheus has no span metrics at all. */
  noSpanMetrics?: boolean;
  /** Jaeger knows no service. */
  noServices?: boolean;
}

/** Running fakes: their base URLs, and `close()`. */
export interface Fakes {
  prometheus: string;
  jaeger: string;
  close(): Promise<void>;
}

function listen(handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function json(res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** A trace ID made from a number (32 hex digits). */
export function fakeTraceId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** Starts both fakes answering from `o`. */
export async function startFakes(o: Observations, opts: FakeOptions = {}): Promise<Fakes> {
  const w = o.window;
  const iq = instantQueries({ window: w, edge: o.edge });
  const rq = rangeQueries({ window: w, edge: o.edge });
  const instantBy = new Map(INSTANT_NAMES.map((n) => [iq[n], o.instant[n]]));
  // The fixture's edge is the one service marked as edge, with all the client requests.
  const eq = edgeQueries(w);
  instantBy.set(eq.marked, [{ labels: { [L.job]: o.edge }, value: 1 }]);
  instantBy.set(eq.clientRequests, [{ labels: { [L.service]: o.edge }, value: o.instant.requests.reduce((a, x) => a + x.value, 0) }]);
  const rangeBy = new Map(RANGE_NAMES.map((n) => [rq[n], o.range[n]]));
  let exemplarCount = 0;
  const prom = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = url.searchParams.get('query') ?? '';
    if (url.pathname === '/api/v1/query') {
      const time = Number(url.searchParams.get('time'));
      const samples = query.startsWith('count(') ? (opts.noSpanMetrics ? [] : [{ labels: {}, value: 1000 }]) : (instantBy.get(query) ?? []);
      return json(res, {
        status: 'success',
        data: { resultType: 'vector', result: samples.map((s) => ({ metric: s.labels, value: [time, String(s.value)] })) },
      });
    }
    if (url.pathname === '/api/v1/query_range') {
      const shift = Number(url.searchParams.get('end')) - w.end;
      const result = (rangeBy.get(query) ?? []).map((s) => ({
        metric: s.labels,
        values: s.points.map(([t, v]) => [t + shift, String(v)]),
      }));
      return json(res, { status: 'success', data: { resultType: 'matrix', result } });
    }
    if (url.pathname === '/api/v1/query_exemplars') {
      const end = Number(url.searchParams.get('end'));
      const exemplars = [1, 2, 3, 4].map((i) => ({
        labels: { trace_id: fakeTraceId(++exemplarCount), span_id: '1' },
        value: String(10 * i),
        timestamp: end - i,
      }));
      return json(res, { status: 'success', data: [{ seriesLabels: { __name__: 'x' }, exemplars }] });
    }
    res.writeHead(404).end('not found');
  });
  const jaeger = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/services') return json(res, { data: opts.noServices ? [] : ['lb', 'api', 'worker', 'partner'], total: 4 });
    if (url.pathname === '/api/traces') return json(res, { data: [], total: 0 });
    // Like a tail-sampling Collector's Jaeger: most exemplar traces were kept, every fourth was not.
    const id = /^\/api\/traces\/([0-9a-f]{32})$/.exec(url.pathname)?.[1];
    if (id && parseInt(id.slice(-8), 16) % 4 !== 0) return json(res, { data: [{ traceID: id, spans: [], processes: {} }] });
    res.writeHead(404).end('not found');
  });
  const base = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return {
    prometheus: base(prom),
    jaeger: base(jaeger),
    close: async () => {
      await Promise.all([prom, jaeger].map((s) => new Promise((r) => s.close(r))));
    },
  };
}
