/** What `npm run demo` prints when ready, and the links in it, checked without a stack. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readyBanner } from '../src/banner.ts';
import { clientTrafficQuery, prometheusGraphUrl, zipkinSearchUrl, zipkinTraceUrl } from '../src/links.ts';
import type { StackUrls } from '../src/stack.ts';

const urls: StackUrls = {
  jaegerQuery: 'http://127.0.0.1:16686',
  zipkinUi: 'http://127.0.0.1:9411/zipkin/',
  zipkin: 'http://127.0.0.1:9411',
  collectorOtlpHttp: 'http://127.0.0.1:4318',
  collectorMetrics: 'http://127.0.0.1:8888/metrics',
  collectorPrometheus: 'http://127.0.0.1:8889/metrics',
  collectorHealth: 'http://127.0.0.1:13133/',
  postgres: 'postgres://faultline:faultline@127.0.0.1:15432/faultline',
  redis: 'redis://127.0.0.1:16379',
  lb: 'http://127.0.0.1:8080',
  logDir: '/tmp/logs',
  prometheus: 'http://127.0.0.1:9090',
  logs: 'http://127.0.0.1:9428',
  toxiproxy: 'http://127.0.0.1:8474',
};
const httpUrls = (text: string) => [...text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);

describe("the demo's ready banner", () => {
  const text = readyBanner(urls, { edgeService: 'lb', readyMs: 12_345 });

  it('names Zipkin as the trace UI and Jaeger as the query API, not as a UI', () => {
    assert.match(text, /ready in 12\.3 s/);
    assert.match(text, /traces \(Zipkin UI\)\s+http:\/\/127\.0\.0\.1:9411\/zipkin\//);
    const jaeger = text.split('\n').filter((l) => l.includes(':16686'));
    assert.deepEqual(jaeger.length, 1);
    assert.match(jaeger[0]!, /Jaeger query API\s+http:\/\/127\.0\.0\.1:16686\/api\/services/);
    assert.match(jaeger[0]!, /no UI/);
  });

  it("links the per-client traffic graph in Prometheus' classic UI (Debian's 2.42 has no other)", () => {
    const link = httpUrls(text).find((u) => u.includes('g0.expr='))!;
    assert.ok(link.startsWith('http://127.0.0.1:9090/classic/graph?'), link);
    assert.equal(new URL(link).searchParams.get('g0.expr'), clientTrafficQuery('lb'));
    assert.equal(new URL(link).searchParams.get('g0.tab'), '0');
  });

  it('prints no page that would not work: no bare fleet entry, nothing of a part that did not start', () => {
    assert.ok(!httpUrls(text).includes('http://127.0.0.1:8080'), text);
    assert.ok(httpUrls(text).includes('http://127.0.0.1:8080/lb/status'));
    const bare = readyBanner(
      { ...urls, lb: undefined, prometheus: undefined },
      { edgeService: 'lb', readyMs: 1000, stopping: 'Stopping in 00:07; ' },
    );
    assert.ok(!bare.includes(':9090') && !bare.includes(':8080'), bare);
    assert.match(bare, /Stopping in 00:07; Ctrl-C stops everything\.$/);
  });
});

describe('links', () => {
  it("builds the per-client traffic query summed by client over the edge's server spans", () => {
    const q = clientTrafficQuery('lb');
    assert.match(q, /^sum by \(\w+\) \(rate\(\w+\{.*"lb".*\}\[1m\]\)\)$/);
    assert.equal(new URL(prometheusGraphUrl('http://p:9090', q, '5m')).searchParams.get('g0.range_input'), '5m');
  });

  it('builds Lens search and trace links', () => {
    const u = new URL(
      zipkinSearchUrl('http://z:9411/zipkin/', {
        serviceName: 'lb',
        tags: { 'client.id': 'team-07', 'http.route': '/x' },
        endTs: 1000,
        lookback: '1h',
        limit: 5,
      }),
    );
    assert.equal(u.pathname, '/zipkin/');
    assert.equal(u.searchParams.get('serviceName'), 'lb');
    assert.equal(u.searchParams.get('annotationQuery'), 'client.id=team-07 and http.route=/x');
    assert.equal(u.searchParams.get('lookback'), '1h');
    assert.equal(u.searchParams.get('endTs'), '1000');
    assert.equal(u.searchParams.get('limit'), '5');
    const d = new URL(zipkinSearchUrl('http://z:9411/zipkin/', {}));
    assert.equal(d.searchParams.get('lookback'), '15m');
    assert.ok(
      Math.abs(Number(d.searchParams.get('endTs')) - Date.now()) < 60_000,
      'ends now: Lens runs a search on load only with an end time',
    );
    assert.equal(zipkinTraceUrl('http://z:9411/zipkin/', 'abc'), 'http://z:9411/zipkin/traces/abc');
  });
});
