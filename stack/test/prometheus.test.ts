/**
 * Prometheus from the shared `prometheus/prometheus.yml` scrapes the real Collector natively: both
 * targets are up and span metrics made from an instrumented app's spans are queryable, with their
 * `client_id` label and exemplars.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  freePorts,
  nativePrometheusConfig,
  startCollector,
  startPrometheus,
  type CollectorInstance,
  type PrometheusInstance,
} from '../src/index.ts';
import { eq, L, M, prometheus as promApi, selector, type Sample } from '@faultline/signals';
import { fixtureRunner } from '@faultline/testkit';

const runFixture = fixtureRunner(new URL('../../instrumentation/test/fixtures/', import.meta.url));

let collector: CollectorInstance;
let prometheus: PrometheusInstance;
before(async () => {
  const [g, h, he, p, m, prom] = await freePorts(6);
  collector = await startCollector({
    ports: { otlpGrpc: g!, otlpHttp: h!, health: he!, prometheus: p!, metrics: m! },
    jaegerOtlpEndpoint: '127.0.0.1:9',
  });
  prometheus = await startPrometheus({ port: prom!, collectorPorts: collector.ports });
});
after(async () => {
  await prometheus?.stop();
  await collector?.stop();
});

/** Evaluates `q` now (a query Prometheus rejects throws, naming it). */
async function query(q: string): Promise<Sample[]> {
  return promApi.instant(prometheus.url, q, Date.now() / 1000);
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
    const out = nativePrometheusConfig('targets: ["collector:8889"]\n  - targets: ["collector:8888"]', {
      prometheus: 18889,
      metrics: 18888,
    });
    assert.equal(out, 'targets: ["127.0.0.1:18889"]\n  - targets: ["127.0.0.1:18888"]');
  });

  it('scrapes the Collector: both targets up, span metrics with client_id queryable', async () => {
    const run = runFixture('burst.mjs', {
      preload: true,
      env: { SPANS: '50', OTEL_SERVICE_NAME: 'prom-test', OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl },
    });
    assert.equal((await run.exited).code, 0);
    const up = await until('both targets up', async () => {
      const r = await query('up');
      return r.length >= 2 && r.every((x) => x.value === 1) ? r : undefined;
    });
    assert.deepEqual(up.map((x) => x.labels[L.job]).sort(), ['collector-exporter', 'collector-self']);
    const calls = await until('span metrics of prom-test', async () => {
      const r = await query(`sum by (${L.clientId}) (${selector(M.calls, eq(L.service, 'prom-test'))})`);
      return r.length > 0 && r[0]!.value >= 50 ? r : undefined;
    });
    assert.equal(calls[0]!.labels[L.clientId], 'unknown');
    assert.equal(calls[0]!.value, 50, 'every span counted once');
  });
});
