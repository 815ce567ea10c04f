/**
 * collector/config.yaml and jaeger/config.yaml doing their job with the real binaries, on ports of
 * their own: OTLP in → Jaeger, span metrics with faultline's dimensions and exemplars, the service
 * graph, SDK metrics with service labels, and spans that wait out a Jaeger outage.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startCollector, type CollectorInstance, type CollectorPorts } from '../src/collector.ts';
import { startJaeger, type JaegerInstance, type JaegerPorts } from '../src/jaeger.ts';
import { freePorts } from '../src/ports.ts';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: v } });

/** An OTLP/JSON trace: lb (server → client) → api (server → db client), client ID "acme". */
function lbToApiTrace(traceId: string) {
  const now = BigInt(Date.now()) * 1_000_000n;
  const t = (ms: number) => String(now + BigInt(ms) * 1_000_000n);
  const [lbServer, lbClient, apiServer, apiDb] = [hex(8), hex(8), hex(8), hex(8)];
  const span = (spanId: string, parentSpanId: string | undefined, name: string, kind: number, end: number, attributes: unknown[]) => ({
    traceId, spanId, parentSpanId, name, kind, startTimeUnixNano: t(0), endTimeUnixNano: t(end), attributes,
  });
  const resource = (service: string, instance: string) => ({
    attributes: [str('service.name', service), str('service.version', '0.1.0'), str('service.instance.id', instance)],
  });
  return {
    resourceSpans: [
      {
        resource: resource('lb', 'lb'),
        scopeSpans: [{ scope: { name: 'test' }, spans: [
          span(lbServer, undefined, 'GET /orders', 2, 40, [str('client.id', 'acme'), str('http.route', '/orders'), str('http.request.method', 'GET'), int('http.response.status_code', 200)]),
          span(lbClient, lbServer, 'GET', 3, 35, [str('client.id', 'acme')]),
        ] }],
      },
      {
        resource: resource('api', 'api-1'),
        scopeSpans: [{ scope: { name: 'test' }, spans: [
          span(apiServer, lbClient, 'GET /orders', 2, 30, [str('client.id', 'acme'), str('http.route', '/orders')]),
          span(apiDb, apiServer, 'pg.query:SELECT faultline', 3, 12, [str('client.id', 'acme'), str('db.system.name', 'postgresql'), str('db.namespace', 'faultline'), str('db.client.connection.pool.name', '127.0.0.1:55432/faultline')]),
        ] }],
      },
    ],
  };
}

/** An OTLP/JSON gauge from an SDK of service `api`, instance `api-1`. */
function sdkGauge() {
  return {
    resourceMetrics: [{
      resource: { attributes: [str('service.name', 'api'), str('service.version', '0.1.0'), str('service.instance.id', 'api-1'), int('process.pid', 4242)] },
      scopeMetrics: [{ scope: { name: 'test' }, metrics: [{
        name: 'faultline.test.gauge', unit: '{request}',
        gauge: { dataPoints: [{ asInt: '3', timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), attributes: [str('pool', 'main')] }] },
      }] }],
    }],
  };
}

async function post(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, `${url}: ${await res.text()}`);
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(500);
  }
}

async function jaegerTrace(jaeger: JaegerInstance, traceId: string): Promise<number | undefined> {
  const res = await fetch(`${jaeger.queryUrl}/api/traces/${traceId}`);
  if (res.status !== 200) return undefined;
  const body = (await res.json()) as { data: { spans: unknown[] }[] };
  return body.data[0]?.spans.length;
}

/** Series lines of a metric (OpenMetrics scrape), exemplars included. */
async function scrape(collector: CollectorInstance, metric: string): Promise<string[]> {
  const text = await (await fetch(collector.prometheusUrl, { headers: { accept: 'application/openmetrics-text' } })).text();
  return text.split('\n').filter((l) => l.startsWith(metric));
}

describe('collector → jaeger pipeline', () => {
  let jaeger: JaegerInstance;
  let collector: CollectorInstance;
  let jaegerPorts: JaegerPorts;

  before(async () => {
    const p = await freePorts(11);
    jaegerPorts = { otlpGrpc: p[0]!, otlpHttp: p[1]!, query: p[2]!, queryGrpc: p[3]!, health: p[4]!, metrics: p[5]! };
    const collectorPorts: CollectorPorts = { otlpGrpc: p[6]!, otlpHttp: p[7]!, health: p[8]!, prometheus: p[9]!, metrics: p[10]! };
    jaeger = await startJaeger({ ports: jaegerPorts, name: 'test-pipeline-jaeger' });
    collector = await startCollector({ ports: collectorPorts, jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint, name: 'test-pipeline-collector' });
  });
  after(async () => {
    await collector?.stop();
    await jaeger?.stop();
  });

  const traceId = hex(16);

  it('delivers an OTLP trace to Jaeger, all spans in one trace', async () => {
    await post(`${collector.otlpHttpUrl}/v1/traces`, lbToApiTrace(traceId));
    assert.equal(await eventually('trace in Jaeger', () => jaegerTrace(jaeger, traceId)), 4);
  });

  it('makes span metrics with faultline\'s dimensions, job/instance labels and exemplars', async () => {
    const calls = await eventually('span metrics', async () => {
      const lines = await scrape(collector, 'traces_span_metrics_calls_total');
      return lines.find((l) => l.includes('service_name="lb"') && l.includes('span_kind="SPAN_KIND_SERVER"')) ? lines : undefined;
    });
    const lbServer = calls.find((l) => l.includes('service_name="lb"') && l.includes('span_kind="SPAN_KIND_SERVER"'))!;
    for (const label of ['client_id="acme"', 'http_route="/orders"', 'http_request_method="GET"', 'http_response_status_code="200"', 'job="lb"', 'instance="lb"', 'service_version="0.1.0"']) {
      assert.ok(lbServer.includes(label), `${label} missing in ${lbServer}`);
    }
    assert.ok(!lbServer.includes('collector_instance_id'), 'no per-start collector UUID label');
    const db = calls.find((l) => l.includes('span_name="pg.query:SELECT faultline"'));
    assert.ok(db?.includes('db_client_connection_pool_name="127.0.0.1:55432/faultline"'), db);
    const buckets = await scrape(collector, 'traces_span_metrics_duration_milliseconds_bucket');
    assert.ok(buckets.some((l) => l.includes(`trace_id="${traceId}"`)), 'an exemplar links a bucket to the trace');
  });

  it('makes the service graph: lb → api, api → the database', async () => {
    const edges = await eventually('service graph', async () => {
      const lines = await scrape(collector, 'traces_service_graph_request_total');
      return lines.some((l) => l.includes('client="lb"') && l.includes('server="api"')) ? lines : undefined;
    });
    assert.ok(edges.some((l) => l.includes('client="api"') && l.includes('connection_type="database"')), edges.join('\n'));
  });

  it('labels SDK metrics with service_name, service_version, job and instance, not every resource attribute', async () => {
    await post(`${collector.otlpHttpUrl}/v1/metrics`, sdkGauge());
    const line = await eventually('SDK gauge', async () => (await scrape(collector, 'faultline_test_gauge')).find((l) => l.includes('pool="main"')));
    for (const label of ['service_name="api"', 'service_version="0.1.0"', 'job="api"', 'instance="api-1"']) assert.ok(line.includes(label), `${label} in ${line}`);
    assert.ok(!line.includes('process_pid'), line);
  });

  it('keeps spans through a Jaeger outage and delivers them when it is back', async () => {
    await jaeger.stop();
    const late = hex(16);
    await post(`${collector.otlpHttpUrl}/v1/traces`, lbToApiTrace(late));
    await sleep(2000); // the exporter fails at least once and queues the batch
    jaeger = await startJaeger({ ports: jaegerPorts, name: 'test-pipeline-jaeger' });
    assert.equal(await eventually('queued trace in the new Jaeger', () => jaegerTrace(jaeger, late), 45_000), 4);
  });
});
