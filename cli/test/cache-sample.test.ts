/** The cache reads sampled from Jaeger: which services and span names read the cache is found in the traces. */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CACHE_SAMPLE, findCacheReads, sampleCache } from '../src/cache-sample.ts';
import { rank } from '../src/rank.ts';
import { empty } from './build.ts';
import { fakeTraceId } from './fake-sources.ts';

/** A Jaeger whose service `shop` reads a cache with `hget` (one hit, one miss per trace); `web` has none. */
let server: http.Server;
let base = '';
let searches: URLSearchParams[] = [];
before(async () => {
  let n = 0;
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/api/services') return json({ data: ['web', 'shop'] });
    searches.push(url.searchParams);
    if (url.searchParams.get('service') !== 'shop') return json({ data: [] });
    const traceID = fakeTraceId(++n);
    const span = (spanID: string, hit: boolean) => ({
      traceID,
      spanID,
      operationName: 'hget',
      startTime: 1000 + Number(spanID),
      duration: 5,
      processID: 'p1',
      tags: [
        { key: 'cache.hit', value: hit },
        { key: 'client.id', value: 'team-a' },
      ],
    });
    return json({ data: [{ traceID, spans: [span('1', true), span('2', false)], processes: { p1: { serviceName: 'shop' } } }] });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise((r) => server.close(r)));

describe('cache sample', () => {
  it('finds the services and span names that read the cache, searching each service Jaeger knows', async () => {
    searches = [];
    assert.deepEqual(await findCacheReads(base, 0, 100), [{ service: 'shop', operation: 'hget' }]);
    assert.deepEqual([...new Set(searches.map((p) => p.get('service')))].sort(), ['shop', 'web']);
    assert.ok(searches.every((p) => Number(p.get('limit')) <= CACHE_SAMPLE.probeTraces));
  });

  it('counts hits and misses per client from the reads it found', async () => {
    const c = await sampleCache(base, { end: 200, seconds: 100, baselineSeconds: 100 });
    assert.equal(c.source, 'jaeger');
    assert.deepEqual(c.reads, [{ service: 'shop', operation: 'hget' }]);
    assert.ok(c.current['team-a']!.hits > 0 && c.current['team-a']!.misses > 0);
    assert.equal(c.missTraces['team-a']?.length, 3);
  });

  it('a cache finding searches Jaeger in the service and span name whose reads fell', () => {
    const o = empty();
    o.cache = {
      source: 'jaeger',
      current: { 'team-a': { hits: 5, misses: 95 } },
      baseline: { 'team-a': { hits: 60, misses: 40 } },
      missTraces: {},
      reads: [{ service: 'shop', operation: 'hget' }],
    };
    const [f] = rank(o);
    assert.equal(f?.kind, 'cache');
    assert.equal(f.examples.jaeger.service, 'shop');
    assert.equal(f.examples.jaeger.operation, 'hget');
    assert.match(f.query, /=~"hget"/);
  });
});
