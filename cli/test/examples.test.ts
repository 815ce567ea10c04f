/**
 * Example traces under tail sampling: span metrics count every span, so exemplars can name traces the
 * Collector did not keep; only traces Jaeger has are linked, and a Jaeger search fills up the rest.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EXAMPLES, exampleTraces } from '../src/examples.ts';

const id = (c: string) => c.repeat(32);
/** Exemplars, slowest first: a (not kept), b, c, d (not kept), e. */
const EXEMPLARS = [
  { trace: id('a'), value: 90 },
  { trace: id('b'), value: 80 },
  { trace: id('c'), value: 70 },
  { trace: id('d'), value: 60 },
  { trace: id('e'), value: 50 },
];
let kept = new Set<string>();
let searchHits: string[] = [];
let server: http.Server;
let base = '';

before(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/api/v1/query_exemplars') {
      return send(200, {
        status: 'success',
        data: [
          {
            seriesLabels: {},
            exemplars: EXEMPLARS.map((e, i) => ({ labels: { trace_id: e.trace }, value: String(e.value), timestamp: 1000 + i })),
          },
        ],
      });
    }
    if (url.pathname === '/api/traces') {
      return send(200, {
        data: searchHits.map((t, i) => ({
          traceID: t,
          spans: [{ traceID: t, spanID: '1', operationName: 'x', startTime: 1000 + i, processID: 'p' }],
          processes: { p: { serviceName: 's' } },
        })),
      });
    }
    const traceId = url.pathname.split('/').at(-1) ?? '';
    if (url.pathname.startsWith('/api/traces/') && kept.has(traceId))
      return send(200, { data: [{ traceID: traceId, spans: [], processes: {} }] });
    return send(404, { errors: [{ code: 404, msg: 'trace not found' }] });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const spec = { exemplars: 'x_bucket', prefer: 'slowest' as const, jaeger: { service: 's' } };

describe('example traces under tail sampling', () => {
  it('links only exemplar traces Jaeger kept, slowest first', async () => {
    kept = new Set([id('b'), id('c'), id('e')]);
    searchHits = [];
    const t = await exampleTraces(base, base, spec, 900, 1100);
    assert.equal(t.source, 'exemplars');
    assert.deepEqual(t.ids, [id('b'), id('c'), id('e')]);
    assert.equal(t.ids.length, EXAMPLES);
  });

  it('fills up from a Jaeger search when too few exemplar traces were kept', async () => {
    kept = new Set([id('c')]);
    searchHits = [id('f'), id('c')];
    const t = await exampleTraces(base, base, spec, 900, 1100);
    assert.equal(t.source, 'exemplars');
    assert.deepEqual(new Set(t.ids), new Set([id('c'), id('f')]));
  });

  it('falls back to the search alone when no exemplar trace was kept, and says none when nothing is found', async () => {
    kept = new Set();
    searchHits = [id('f')];
    assert.deepEqual(await exampleTraces(base, base, spec, 900, 1100).then((t) => [t.source, t.ids]), ['jaeger', [id('f')]]);
    searchHits = [];
    assert.deepEqual(await exampleTraces(base, base, spec, 900, 1100).then((t) => [t.source, t.ids]), ['none', []]);
  });
});
