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
import { bucket, L, M, scrape as scrapeUrl, SPAN_KIND, type ExpositionSample } from '@faultline/signals';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: v } });

/** An OTLP/JSON trace: lb (server → client) → api (server → db client), client ID "acme". */
function lbToApiTrace(traceId: string) {
  const now = BigInt(Date.now()) * 1_000_000n;
  const t = (ms: number) => String(now + BigInt(ms) * 1_000_000n);
  const [lbServer, lbClient, apiServer, apiDb] = [hex(8), hex(8), hex(8), hex(8)];
  const span = (spanId: string, parentSpanId: string | undefined, name: string, kind: number, end: number, attributes: unknown[]) => ({
    traceId,
    spanId,
    parentSpanId,
    name,
    kind,
    startTimeUnixNano: t(0),
    endTimeUnixNano: t(end),
    attributes,
  });
  const resource = (service: string, instance: string) => ({
    attributes: [str('service.name', service), str('service.version', '0.1.0'), str('service.instance.id', instance)],
  });
  return {
    resourceSpans: [
      {
        resource: resource('lb', 'lb'),
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: [
              span(lbServer, undefined, 'GET /orders', 2, 40, [
                str('client.id', 'acme'),
                str('http.route', '/orders'),
                str('http.request.method', 'GET'),
                int('http.response.status_code', 200),
              ]),
              span(lbClient, lbServer, 'GET', 3, 35, [str('client.id', 'acme')]),
            ],
          },
        ],
      },
      {
        resource: resource('api', 'api-1'),
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: [
              span(apiServer, lbClient, 'GET /orders', 2, 30, [str('client.id', 'acme'), str('http.route', '/orders')]),
              span(apiDb, apiServer, 'pg.query:SELECT faultline', 3, 12, [
                str('client.id', 'acme'),
                str('db.system.name', 'postgresql'),
                str('db.namespace', 'faultline'),
                str('db.client.connection.pool.name', '127.0.0.1:15432/faultline'),
              ]),
            ],
          },
        ],
      },
    ],
  };
}

/** An OTLP/JSON gauge from an SDK of service `api`, instance `api-1`. */
function sdkGauge() {
  return {
    resourceMetrics: [
      {
        resource: {
          attributes: [
            str('service.name', 'api'),
            str('service.version', '0.1.0'),
            str('service.instance.id', 'api-1'),
            int('process.pid', 4242),
          ],
        },
        scopeMetrics: [
          {
            scope: { name: 'test' },
            metrics: [
              {
                name: 'faultline.test.gauge',
                unit: '{request}',
                gauge: {
                  dataPoints: [{ asInt: '3', timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), attributes: [str('pool', 'main')] }],
                },
              },
            ],
          },
        ],
      },
    ],
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

/** Samples of the series whose name starts with `metric` (OpenMetrics scrape), exemplars included. */
async function scrape(collector: CollectorInstance, metric: string): Promise<ExpositionSample[]> {
  return (await scrapeUrl(collector.prometheusUrl, { openMetrics: true })).filter((s) => s.name.startsWith(metric));
}

/** A sample as one line, for messages. */
const show = (s: ExpositionSample | undefined) => (s ? `${s.name}${JSON.stringify(s.labels)} ${s.value}` : 'none');
const isLbServer = (s: ExpositionSample) => s.labels[L.service] === 'lb' && s.labels[L.spanKind] === SPAN_KIND.server;

describe('collector → jaeger pipeline', () => {
  let jaeger: JaegerInstance;
  let collector: CollectorInstance;
  let jaegerPorts: JaegerPorts;

  before(async () => {
    const p = await freePorts(11);
    jaegerPorts = { otlpGrpc: p[0]!, otlpHttp: p[1]!, query: p[2]!, queryGrpc: p[3]!, health: p[4]!, metrics: p[5]! };
    const collectorPorts: CollectorPorts = { otlpGrpc: p[6]!, otlpHttp: p[7]!, health: p[8]!, prometheus: p[9]!, metrics: p[10]! };
    jaeger = await startJaeger({ ports: jaegerPorts, name: 'test-pipeline-jaeger' });
    collector = await startCollector({
      ports: collectorPorts,
      jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint,
      name: 'test-pipeline-collector',
      keepAllTraces: true,
    });
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

  it("makes span metrics with faultline's dimensions, job/instance labels and exemplars", async () => {
    const calls = await eventually('span metrics', async () => {
      const lines = await scrape(collector, M.calls);
      return lines.find(isLbServer) ? lines : undefined;
    });
    const lbServer = calls.find(isLbServer)!;
    const want = {
      [L.clientId]: 'acme',
      [L.httpRoute]: '/orders',
      [L.httpMethod]: 'GET',
      [L.httpStatusCode]: '200',
      [L.job]: 'lb',
      [L.instance]: 'lb',
      [L.serviceVersion]: '0.1.0',
    };
    for (const [label, value] of Object.entries(want)) {
      assert.equal(lbServer.labels[label], value, `${label}="${value}" missing in ${show(lbServer)}`);
    }
    assert.ok(!Object.keys(lbServer.labels).some((k) => k.includes('collector_instance_id')), 'no per-start collector UUID label');
    const db = calls.find((l) => l.labels[L.spanName] === 'pg.query:SELECT faultline');
    assert.equal(db?.labels[L.poolName], '127.0.0.1:15432/faultline', show(db));
    const buckets = await scrape(collector, bucket(M.duration));
    assert.ok(
      buckets.some((l) => l.exemplar?.labels['trace_id'] === traceId),
      'an exemplar links a bucket to the trace',
    );
  });

  it('makes the service graph: lb → api, api → the database', async () => {
    const edges = await eventually('service graph', async () => {
      const lines = await scrape(collector, M.graphRequests);
      return lines.some((l) => l.labels[L.graphClient] === 'lb' && l.labels[L.graphServer] === 'api') ? lines : undefined;
    });
    assert.ok(
      edges.some((l) => l.labels[L.graphClient] === 'api' && l.labels['connection_type'] === 'database'),
      edges.map(show).join('\n'),
    );
  });

  it('labels SDK metrics with service_name, service_version, job and instance, not every resource attribute', async () => {
    await post(`${collector.otlpHttpUrl}/v1/metrics`, sdkGauge());
    const line = await eventually('SDK gauge', async () =>
      (await scrape(collector, 'faultline_test_gauge')).find((l) => l.labels['pool'] === 'main'),
    );
    const want = { [L.service]: 'api', [L.serviceVersion]: '0.1.0', [L.job]: 'api', [L.instance]: 'api-1' };
    for (const [label, value] of Object.entries(want)) assert.equal(line.labels[label], value, `${label}="${value}" in ${show(line)}`);
    assert.ok(!Object.keys(line.labels).some((k) => k.includes('process_pid')), show(line));
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
