/**
 * The native trace UI's path with the real binaries on ports of their own: the main Collector sends
 * every kept trace to the Zipkin bridge as well as to Jaeger, the bridge exports to Zipkin, and Zipkin serves
 * the trace with faultline's attributes as tags, finds it by tag, and serves its Lens UI on loopback.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { eventually, newSpanId, newTraceId, sendTraces, type TestResourceSpans } from '@faultline/testkit';
import { startCollector, type CollectorInstance } from '../src/collector.ts';
import { startJaeger, type JaegerInstance } from '../src/jaeger.ts';
import { freePorts } from '../src/ports.ts';
import { startZipkin, type ZipkinInstance } from '../src/zipkin.ts';
import { startZipkinBridge, type ZipkinBridgeInstance } from '../src/zipkin-bridge.ts';
import { startTogether } from '../src/together.ts';

/** A trace lb → api → PostgreSQL of client `client`, the query span with the pool state. */
function trace(traceId: string, client: string): TestResourceSpans[] {
  const [lb, api, db] = [newSpanId(), newSpanId(), newSpanId()];
  const instance = (service: string) => ({ 'service.instance.id': service });
  return [
    {
      service: 'lb',
      resource: instance('lb'),
      spans: [{ traceId, spanId: lb, name: 'GET /orders', kind: 'server', durationMs: 40, attributes: { 'client.id': client } }],
    },
    {
      service: 'api',
      resource: instance('api'),
      spans: [
        {
          traceId,
          spanId: api,
          parentSpanId: lb,
          name: 'GET /orders',
          kind: 'server',
          durationMs: 30,
          attributes: { 'client.id': client },
        },
        {
          traceId,
          spanId: db,
          parentSpanId: api,
          name: 'pg.query:SELECT faultline',
          kind: 'client',
          durationMs: 12,
          attributes: {
            'client.id': client,
            'db.client.connection.pool.used': 7,
            'db.client.connection.pool.max': 10,
            'db.client.connection.pool.pending_requests': 0,
          },
        },
      ],
    },
  ];
}

interface ZipkinSpan {
  traceId: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

describe('Collector → Zipkin bridge → Zipkin', () => {
  let zipkin: ZipkinInstance;
  let bridge: ZipkinBridgeInstance;
  let jaeger: JaegerInstance;
  let collector: CollectorInstance;

  before(async () => {
    const p = await freePorts(14);
    [zipkin, jaeger] = await startTogether([
      startZipkin({ port: p[0]!, name: 'test-zipkin', maxSpans: 1000 }),
      startJaeger({
        ports: { otlpGrpc: p[1]!, otlpHttp: p[2]!, query: p[3]!, queryGrpc: p[4]!, health: p[5]!, metrics: p[6]! },
        name: 'test-zipkin-jaeger',
      }),
    ]);
    bridge = await startZipkinBridge({ ports: { otlpGrpc: p[7]!, health: p[8]! }, zipkinUrl: zipkin.url, name: 'test-zipkin-bridge' });
    collector = await startCollector({
      ports: { otlpGrpc: p[9]!, otlpHttp: p[10]!, health: p[11]!, prometheus: p[12]!, metrics: p[13]! },
      jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint,
      zipkinBridgeOtlpEndpoint: bridge.otlpGrpcEndpoint,
      name: 'test-zipkin-collector',
      // The test looks for each trace it sent: keep them all (tail sampling would keep ~10 %).
      keepAllTraces: true,
    });
  });
  after(async () => {
    await collector?.stop();
    await bridge?.stop();
    await Promise.all([zipkin?.stop(), jaeger?.stop()]);
  });

  const [acme, other] = [newTraceId(), newTraceId()];

  it("delivers a trace to Zipkin with every span, its services and faultline's attributes as tags", async () => {
    for (const [id, client] of [
      [acme, 'acme'],
      [other, 'globex'],
    ] as const) {
      await sendTraces(collector.otlpHttpUrl, trace(id, client));
    }
    const spans = await eventually(
      'trace in Zipkin',
      async () => {
        const res = await fetch(`${zipkin.url}/api/v2/trace/${acme}`);
        const body = res.status === 200 ? ((await res.json()) as ZipkinSpan[]) : [];
        return body.length === 3 ? body : undefined;
      },
      30_000,
      500,
    );
    assert.deepEqual([...new Set(spans.map((s) => s.localEndpoint?.serviceName))].sort(), ['api', 'lb']);
    assert.ok(
      spans.every((s) => s.tags?.['client.id'] === 'acme'),
      JSON.stringify(spans),
    );
    const db = spans.find((s) => s.tags?.['db.client.connection.pool.used']);
    assert.equal(db?.tags?.['db.client.connection.pool.max'], '10', JSON.stringify(spans));
  });

  it('finds traces by tag, only those of that client', async () => {
    const q = new URLSearchParams({ annotationQuery: 'client.id=acme', lookback: String(3_600_000), limit: '100' });
    const traces = await eventually(
      'search by client.id',
      async () => {
        const found = (await (await fetch(`${zipkin.url}/api/v2/traces?${q}`)).json()) as ZipkinSpan[][];
        return found.length ? found : undefined;
      },
      30_000,
      500,
    );
    assert.deepEqual(
      traces.map((t) => t[0]!.traceId),
      [acme],
    );
  });

  it('still delivers to Jaeger, the store of record', async () => {
    const n = await eventually(
      'trace in Jaeger',
      async () => {
        const res = await fetch(`${jaeger.queryUrl}/api/traces/${acme}`);
        return res.status === 200 ? ((await res.json()) as { data: { spans: unknown[] }[] }).data[0]?.spans.length : undefined;
      },
      30_000,
      500,
    );
    assert.equal(n, 3);
  });

  it('serves the Lens UI, on 127.0.0.1 only', async () => {
    const res = await fetch(zipkin.uiUrl);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<html/i);
    const listening = execFileSync('ss', ['-Hltn', `sport = :${zipkin.port}`]).toString();
    assert.ok(
      listening.trim() &&
        listening
          .split('\n')
          .filter(Boolean)
          .every((l) => /127\.0\.0\.1\]?:/.test(l)),
      listening,
    );
  });
});
