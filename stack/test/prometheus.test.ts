/**
 * Prometheus from the shared `prometheus/prometheus.yml` scrapes the real Collector natively: both
 * targets are up and span metrics made from an instrumented app's spans are queryable, with their
 * `client_id` label and exemplars.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePorts, nativePrometheusConfig, startCollector, startPrometheus, type CollectorInstance, type PrometheusInstance } from '../src/index.ts';
import { runFixture } from '../../instrumentation/test/support/run.ts';

let collector: CollectorInstance;
let prometheus: PrometheusInstance;
before(async () => {
  const [g, h, he, p, m, prom] = await freePorts(6);
  collector = await startCollector({ ports: { otlpGrpc: g!, otlpHttp: h!, health: he!, prometheus: p!, metrics: m! }, jaegerOtlpEndpoint: '127.0.0.1:9' });
  prometheus = await startPrometheus({ port: prom!, collectorPorts: collector.ports });
});
after(async () => {
  await prometheus?.stop();
  await collector?.stop();
});

async function query(q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  assert.equal(body.status, 'success', q);
  return body.data.result;
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 40_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('Prometheus natively', () => {
  it('maps the compose targets to the local Collector ports', () => {
    const out = nativePrometheusConfig('targets: ["collector:8889"]\n  - targets: ["collector:8888"]', { prometheus: 18889, metrics: 18888 });
    assert.equal(out, 'targets: ["127.0.0.1:18889"]\n  - targets: ["127.0.0.1:18888"]');
  });

  it('scrapes the Collector: both targets up, span metrics with client_id queryable', async () => {
    const run = runFixture('burst.mjs', { preload: true, env: { SPANS: '50', OTEL_SERVICE_NAME: 'prom-test', OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl } });
    assert.equal((await run.exited).code, 0);
    const up = await until('both targets up', async () => {
      const r = await query('up');
      return r.length >= 2 && r.every((x) => x.value[1] === '1') ? r : undefined;
    });
    assert.deepEqual(up.map((x) => x.metric['job']).sort(), ['collector-exporter', 'collector-self']);
    const calls = await until('span metrics of prom-test', async () => {
      const r = await query('sum by (client_id) (traces_span_metrics_calls_total{service_name="prom-test"})');
      return r.length > 0 && Number(r[0]!.value[1]) >= 50 ? r : undefined;
    });
    assert.equal(calls[0]!.metric['client_id'], 'unknown');
    assert.equal(Number(calls[0]!.value[1]), 50, 'every span counted once');
  });
});
