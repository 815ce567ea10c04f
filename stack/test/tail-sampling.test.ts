/**
 * collector/config.yaml's tail sampling at demo-like load, on the real Collector and Jaeger (free ports,
 * the config's default policies and waits): every trace that matches an incident policy is in Jaeger,
 * whole; of the normal traces about COLLECTOR_SAMPLING_PERCENTAGE (10%) are; stored spans are ≤ 20% of
 * the received ones; and the span metrics count every received span (they are computed before sampling).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jaeger as jq, M, scrape, sumCounter, sumSeries } from '@faultline/signals';
import { eventually, newSpanId, newTraceId, sendTraces, type TestResourceSpans, type TestSpan } from '@faultline/testkit';
import { startCollector, type CollectorInstance } from '../src/collector.ts';
import { startJaeger, type JaegerInstance } from '../src/jaeger.ts';
import { freePorts } from '../src/ports.ts';

const EDGE = 'ts-edge';
const BACKEND = 'ts-backend';
const LONG_AGO = new Date(Date.now() - 3_600_000).toISOString();
const NORMAL_TRACES = 2000;
const PER_SECOND = 100; // the demo sends ~40 requests/s; each is one trace here
const SHARE = 0.1;

/** What makes a trace an incident trace, applied to its backend span (or its resource). */
type Mark = (backend: TestSpan, edge: TestSpan) => void | { backendResource: Record<string, string> };
const MARKS: Record<string, Mark> = {
  error: (b) => void (b.error = 'boom'),
  'slow root': (_b, e) => void (e.durationMs = 1500),
  'pool pending': (b) => void (b.attributes!['db.client.connection.pool.pending_requests'] = 3),
  'pool wait': (b) => void ((b.name = 'pg-pool.connect'), (b.durationMs = 120)),
  'breaker event': (b) =>
    void (b.events = [{ name: 'circuit_breaker', attributes: { 'circuit_breaker.name': 'partner', 'circuit_breaker.event': 'reject' } }]),
  'breaker state change': (b) => void (b.attributes!['circuit_breaker.state'] = 'open'),
  'failed health check': (b) => void ((b.name = 'health_check'), (b.attributes!['lb.health_check.ok'] = false)),
  ejection: (b) => void ((b.name = 'health_check'), (b.attributes!['lb.backend.transition'] = 'ejected')),
  retry: (b) => void (b.attributes!['http.request.resend_count'] = 1),
  'client floor': (_b, e) => void (e.attributes!['faultline.sampling.floor'] = true),
  // A process that has just started (its own instance: Prometheus series are per instance).
  deploy: () => ({
    backendResource: { 'process.creation.time': new Date().toISOString(), 'service.instance.id': `${BACKEND}-${newSpanId()}` },
  }),
};
const PER_MARK = 5;

/** One two-span trace (edge server → backend), the mark applied; returns its ID and what to send. */
function trace(mark?: Mark): { id: string; groups: TestResourceSpans[] } {
  const id = newTraceId();
  const start = Date.now() - 40;
  const edge: TestSpan = {
    traceId: id,
    spanId: newSpanId(),
    name: 'GET /v1/stock/:id',
    kind: 'server',
    startMs: start,
    durationMs: 30,
    attributes: { 'http.route': '/v1/stock/:id', 'client.id': 'team-ts' },
  };
  const backend: TestSpan = {
    traceId: id,
    spanId: newSpanId(),
    parentSpanId: edge.spanId,
    name: 'pg.query',
    kind: 'client',
    startMs: start + 5,
    durationMs: 10,
    attributes: { 'client.id': 'team-ts' },
  };
  const extra = mark?.(backend, edge);
  const backendResource = {
    'process.creation.time': LONG_AGO,
    'service.instance.id': `${BACKEND}-1`,
    ...(extra ? extra.backendResource : {}),
  };
  return {
    id,
    groups: [
      { service: EDGE, resource: { 'process.creation.time': LONG_AGO, 'service.instance.id': `${EDGE}-1` }, spans: [edge] },
      { service: BACKEND, resource: backendResource, spans: [backend] },
    ],
  };
}

let jaeger: JaegerInstance;
let collector: CollectorInstance;
before(async () => {
  const [jg, jh, jq1, jqg, jhe, jm, g, h, he, p, m] = (await freePorts(11)) as number[];
  jaeger = await startJaeger({
    ports: { otlpGrpc: jg!, otlpHttp: jh!, query: jq1!, queryGrpc: jqg!, health: jhe!, metrics: jm! },
    name: 'test-sampling-jaeger',
  });
  collector = await startCollector({
    ports: { otlpGrpc: g!, otlpHttp: h!, health: he!, prometheus: p!, metrics: m! },
    jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint,
    name: 'test-sampling-collector',
  });
});
after(async () => {
  await collector?.stop();
  await jaeger?.stop();
});

describe('tail sampling (collector/config.yaml defaults)', () => {
  const marked = new Map<string, string[]>();
  const normal: string[] = [];
  let sentSpans = 0;

  it(`at ${PER_SECOND} traces/s: every incident trace is kept whole, ~${SHARE * 100}% of the rest`, async () => {
    // Interleave the marked traces with the normal ones, a batch of PER_SECOND traces per second.
    const queue: { kind?: string; t: ReturnType<typeof trace> }[] = [];
    for (let i = 0; i < NORMAL_TRACES; i++) queue.push({ t: trace() });
    for (const [kind, mark] of Object.entries(MARKS)) {
      for (let i = 0; i < PER_MARK; i++) queue.splice(Math.floor(Math.random() * queue.length), 0, { kind, t: trace(mark) });
    }
    for (let i = 0; i < queue.length; i += PER_SECOND) {
      const t0 = Date.now();
      const batch = queue.slice(i, i + PER_SECOND);
      await sendTraces(
        collector.otlpHttpUrl,
        batch.flatMap((q) => q.t.groups),
      );
      for (const q of batch) {
        if (q.kind) marked.set(q.kind, [...(marked.get(q.kind) ?? []), q.t.id]);
        else normal.push(q.t.id);
        sentSpans += 2;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t0))));
    }

    for (const [kind, ids] of marked) {
      for (const id of ids) {
        const t = await eventually(`${kind} trace ${id} in Jaeger`, () => jq.getTrace(jaeger.queryUrl, id), 30_000, 500);
        assert.equal(t.spans.length, 2, `the whole ${kind} trace is kept`);
      }
    }
    // The last normal traces are decided ~3 s after their root; give them 10 s more.
    await new Promise((r) => setTimeout(r, 10_000));
    let kept = 0;
    for (const id of normal) if (await jq.getTrace(jaeger.queryUrl, id)) kept++;
    const share = kept / normal.length;
    console.log(`normal traces kept: ${kept} of ${normal.length} (${(share * 100).toFixed(1)}%)`);
    // Binomial(2000, 0.1): sd 0.67 points; ±3.5 points is > 5 sd.
    assert.ok(Math.abs(share - SHARE) < 0.035, `kept ${(share * 100).toFixed(1)}% of the normal traces, expected ~${SHARE * 100}%`);
  });

  it('stores ≤ 20% of the received spans; the span metrics count every received span', async () => {
    const own = await scrape(collector.metricsUrl);
    const accepted = sumCounter(own, M.collectorAcceptedSpans);
    const stored = sumCounter(own, M.collectorSentSpans, { exporter: 'otlp_grpc/jaeger' });
    console.log(`spans received ${accepted}, sent to Jaeger ${stored} (${((stored / accepted) * 100).toFixed(1)}%)`);
    assert.equal(accepted, sentSpans, 'the Collector accepted every span sent');
    assert.ok(stored / accepted <= 0.2, `stored ${stored} of ${accepted} spans`);
    const expectedStored = 2 * ([...marked.values()].flat().length + Math.round(normal.length * SHARE));
    assert.ok(Math.abs(stored - expectedStored) < 0.05 * sentSpans, `stored ${stored}, expected ~${expectedStored}`);

    let last = 0;
    // span_metrics flushes every 5 s: wait until it has counted everything, then compare exactly.
    const calls = await eventually(
      'span metrics for every span',
      async () => {
        last = sumSeries(await scrape(collector.prometheusUrl), M.calls);
        return last >= sentSpans ? last : undefined;
      },
      30_000,
      1000,
    ).catch((e: Error) => assert.fail(`${e.message}: ${last} of ${sentSpans}`));
    assert.equal(calls, accepted, 'span-metric calls = spans received');
  });
});
