/**
 * What collector/config.yaml adds to the metrics for dashboards, on the real Collector binary:
 * - `process_start_time_seconds{service_name, service_version}` per SDK (deploy annotations);
 * - spans of clients beyond a process's FAULTLINE_METRICS_CLIENT_LIMIT counted as `client_id="other"`;
 * - span metrics beyond the per-process cardinality limit counted as `client_id="other"` with their
 *   `service_name`, every span still counted once;
 * - `cache_hit` and `http_request_resend_count` as span-metric labels.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freeCollectorPorts, startCollector, type CollectorInstance } from '../src/index.ts';
import { CLIENT_OVERFLOW, L, M, scrape, samplesOf, type ExpositionSample } from '@faultline/signals';
import { fixtureRunner, newSpanId, newTraceId, sendTraces, type AttrValue, type TestSpan } from '@faultline/testkit';

const runFixture = fixtureRunner(new URL('../../instrumentation/test/fixtures/', import.meta.url));

const LIMIT = 10;
let collector: CollectorInstance;
before(async () => {
  collector = await startCollector({
    ports: await freeCollectorPorts(),
    jaegerOtlpEndpoint: '127.0.0.1:9',
    env: { COLLECTOR_SPAN_METRICS_CARDINALITY_LIMIT: String(LIMIT) },
  });
});
after(async () => {
  await collector?.stop();
});

/** One span of kind `server` or `client`, its own trace, ended now. */
function span(name: string, kind: 'server' | 'client', attributes: Record<string, AttrValue>): TestSpan {
  return { traceId: newTraceId(), spanId: newSpanId(), name, kind, attributes };
}

function sendSpans(service: string, spans: TestSpan[]): Promise<void> {
  return sendTraces(collector.otlpHttpUrl, [{ service, resource: { 'service.instance.id': `${service}-1` }, spans }]);
}

/** Samples of the Collector's Prometheus exporter for `metric` whose labels include `match`. */
async function samples(
  metric: string,
  match: Record<string, string>,
  until: (lines: ExpositionSample[]) => boolean,
): Promise<ExpositionSample[]> {
  const t0 = Date.now();
  for (;;) {
    const lines = samplesOf(await scrape(collector.prometheusUrl), metric, match);
    if (until(lines)) return lines;
    if (Date.now() - t0 > 30_000) throw new Error(`timed out waiting for ${metric} ${JSON.stringify(match)}; last: ${show(lines)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const label = (s: ExpositionSample, name: string) => s.labels[name];
const value = (s: ExpositionSample) => s.value;
const show = (lines: ExpositionSample[]) => lines.map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`).join('\n');

describe('Collector metrics for the dashboards', () => {
  it('exports each SDK start time as process_start_time_seconds with service_name and service_version', async () => {
    const t0 = Date.now() / 1000;
    const run = runFixture('burst.mjs', {
      preload: true,
      env: {
        SPANS: '5',
        OTEL_SERVICE_NAME: 'start-test',
        OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.2.3',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl,
      },
    });
    assert.equal((await run.exited).code, 0, run.stderr());
    const [line] = await samples(M.processStart, { [L.service]: 'start-test' }, (l) => l.length > 0);
    assert.equal(label(line!, L.serviceVersion), '1.2.3');
    const started = value(line!);
    assert.ok(started >= t0 - 1 && started <= Date.now() / 1000, `start ${started} not within the fixture's life (from ${t0})`);
  });

  it(`counts clients beyond the cardinality limit (${LIMIT} series per process) as client_id="other"`, async () => {
    const clients = Array.from({ length: 3 * LIMIT }, (_, i) => `c-${String(i).padStart(2, '0')}`);
    await sendSpans(
      'limit-test',
      clients.map((c) => span('GET /x', 'server', { 'client.id': c })),
    );
    const lines = await samples(M.calls, { [L.job]: 'limit-test' }, (l) => l.reduce((n, x) => n + value(x), 0) >= clients.length);
    const byClient = new Map(lines.map((l) => [label(l, L.clientId), value(l)]));
    assert.equal(
      [...byClient.values()].reduce((a, b) => a + b, 0),
      clients.length,
      'every span counted once',
    );
    assert.equal(byClient.get(CLIENT_OVERFLOW), clients.length - LIMIT, show(lines));
    assert.equal(byClient.size, LIMIT + 1);
    for (const l of lines) assert.equal(label(l, L.service), 'limit-test', show([l]));
    assert.ok(!show(lines).includes('otel_metric_overflow'));
  });

  it('counts the clients a process sees beyond FAULTLINE_METRICS_CLIENT_LIMIT as client_id="other", every span once', async () => {
    const run = runFixture('clients.mjs', {
      preload: true,
      env: {
        CLIENTS: '30',
        FAULTLINE_METRICS_CLIENT_LIMIT: '10',
        OTEL_SERVICE_NAME: 'clients-test',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl,
      },
    });
    assert.equal((await run.exited).code, 0, run.stderr());
    const lines = await samples(M.calls, { [L.job]: 'clients-test' }, (l) => l.reduce((n, x) => n + value(x), 0) >= 30);
    const byClient = new Map(lines.map((l) => [label(l, L.clientId), value(l)]));
    assert.equal(
      [...byClient.values()].reduce((a, b) => a + b, 0),
      30,
      'every span counted once',
    );
    assert.equal(byClient.get(CLIENT_OVERFLOW), 20, show(lines));
    assert.deepEqual(
      [...byClient.keys()].filter((c) => c !== CLIENT_OVERFLOW).sort(),
      Array.from({ length: 10 }, (_, i) => `c-${String(i).padStart(2, '0')}`),
    );
  });

  it('labels span metrics with cache_hit and http_request_resend_count', async () => {
    await sendSpans('labels-test', [
      span('get', 'client', { 'client.id': 'a', 'cache.hit': true }),
      span('get', 'client', { 'client.id': 'a', 'cache.hit': false }),
      span('GET', 'client', { 'client.id': 'a', 'http.request.resend_count': 1 }),
    ]);
    const lines = await samples(M.calls, { [L.job]: 'labels-test' }, (l) => l.length >= 3);
    assert.deepEqual(
      lines
        .map((l) => label(l, L.cacheHit))
        .filter(Boolean)
        .sort(),
      ['false', 'true'],
    );
    assert.deepEqual(lines.map((l) => label(l, L.resendCount)).filter(Boolean), ['1']);
  });
});
