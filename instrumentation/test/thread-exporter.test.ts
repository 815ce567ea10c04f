import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { ExportResultCode, TraceState, type ExportResult } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { SpanDecoder, SpanEncoder } from '../src/span-wire.ts';
import { ThreadSpanExporter } from '../src/thread-exporter.ts';
import { captureWarnings } from './support/warnings.ts';

/** Real SDK spans: two resources, three scopes, events, links with trace state, a remote parent. */
async function sdkSpans(extra: Attributes = {}): Promise<ReadableSpan[]> {
  const out = new InMemorySpanExporter();
  const providers = ['api', 'worker'].map((service) => new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.instance.id': `${service}-1`, 'process.pid': 42 }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: out })],
  }));
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true,
    traceState: new TraceState('vendor=abc,other=1'),
  });
  for (const [i, provider] of providers.entries()) {
    for (const scope of [['@opentelemetry/instrumentation-http', '0.300.0'], ['@faultline/instrumentation', undefined]] as const) {
      const tracer = provider.getTracer(scope[0], scope[1], { schemaUrl: i === 0 ? 'https://opentelemetry.io/schemas/1.37.0' : undefined });
      const server = tracer.startSpan('GET /v1/price/:sku', {
        kind: SpanKind.SERVER,
        attributes: { 'http.route': '/v1/price/:sku', 'http.response.status_code': 503, 'client.id': 'team-07', 'db.client.connection.pool.used': 10, 'cache.hit': false, 'x.list': ['a', 'b'], 'x.nums': [1.5, 2], ...extra },
        links: [{ context: { traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 0, traceState: new TraceState('k=v') }, attributes: { 'messaging.operation.type': 'process' } }],
      }, remote);
      server.addEvent('lb.backend.ejected', { 'server.address': 'api-1' });
      server.recordException(new Error('pool timeout'));
      server.setStatus({ code: SpanStatusCode.ERROR, message: 'pool timeout' });
      const child = tracer.startSpan('pg-pool.connect', { kind: SpanKind.INTERNAL }, trace.setSpan(ROOT_CONTEXT, server));
      child.end();
      server.end();
    }
  }
  return out.getFinishedSpans();
}

describe('span wire format', () => {
  it('rebuilds spans that serialize to the same OTLP protobuf bytes, across batches', async () => {
    const spans = await sdkSpans();
    const encoder = new SpanEncoder();
    const decoder = new SpanDecoder();
    // Two batches: the second refers to resources and scopes sent with the first.
    const first = encoder.encode(spans.slice(0, 3));
    const second = encoder.encode(spans.slice(3));
    assert.equal(second.resources.length + first.resources.length, 2);
    const decoded = [...decoder.decode(structuredClone(first)), ...decoder.decode(structuredClone(second))];
    assert.deepEqual(ProtobufTraceSerializer.serializeRequest(decoded), ProtobufTraceSerializer.serializeRequest(spans));
  });

  it('keeps any attribute value the SDK accepts', async () => {
    const value = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 4 }), fc.array(fc.double(), { maxLength: 4 }));
    await fc.assert(fc.asyncProperty(fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), value, { maxKeys: 8 }), async (attrs) => {
      const spans = await sdkSpans(attrs);
      const decoded = new SpanDecoder().decode(structuredClone(new SpanEncoder().encode(spans)));
      assert.deepEqual(ProtobufTraceSerializer.serializeRequest(decoded), ProtobufTraceSerializer.serializeRequest(spans));
    }), { numRuns: 60 });
  });

  it('a decoder that missed a resource says so instead of sending wrong data', async () => {
    const spans = await sdkSpans();
    const encoder = new SpanEncoder();
    encoder.encode(spans);
    assert.throws(() => new SpanDecoder().decode(encoder.encode(spans)), /unknown resource/);
  });
});

function exportAll(exporter: ThreadSpanExporter, batches: ReadableSpan[][]): Promise<ExportResult[]> {
  return Promise.all(batches.map((b) => new Promise<ExportResult>((resolve) => exporter.export(b, resolve))));
}

describe('ThreadSpanExporter without its thread', () => {
  const warnings = captureWarnings();

  it('exports every span on the app\'s thread when the thread cannot start, with one warning', async () => {
    const fallback = new InMemorySpanExporter();
    const exporter = new ThreadSpanExporter({ timeoutMillis: 1000, fallback: () => fallback, workerUrl: new URL('./fixtures/no-such-worker.mjs', import.meta.url) });
    const spans = await sdkSpans();
    const results = await exportAll(exporter, [spans.slice(0, 4), spans.slice(4)]);
    assert.deepEqual(results.map((r) => r.code), [ExportResultCode.SUCCESS, ExportResultCode.SUCCESS]);
    assert.equal(fallback.getFinishedSpans().length, spans.length);
    assert.equal(exporter.threaded, false);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /export thread (could not start|stopped).*app's thread/);
    await exporter.shutdown();
  });

  it('re-exports the batches a dying thread had not answered, and every later one', async () => {
    const fallback = new InMemorySpanExporter();
    const exporter = new ThreadSpanExporter({ timeoutMillis: 1000, fallback: () => fallback, workerUrl: new URL('./fixtures/dying-export-worker.mjs', import.meta.url) });
    const spans = await sdkSpans();
    const results = await exportAll(exporter, [spans.slice(0, 2), spans.slice(2)]);
    const later = await exportAll(exporter, [spans.slice(0, 1)]);
    assert.deepEqual([...results, ...later].map((r) => r.code), [ExportResultCode.SUCCESS, ExportResultCode.SUCCESS, ExportResultCode.SUCCESS]);
    assert.equal(fallback.getFinishedSpans().length, spans.length + 1);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /stopped \(it exited with code 3\)/);
    await exporter.shutdown();
  });

  it('never keeps the process alive', () => {
    const script = `import { ThreadSpanExporter } from ${JSON.stringify(new URL('../src/thread-exporter.ts', import.meta.url).href)};
      new ThreadSpanExporter({ timeoutMillis: 1000, fallback: () => { throw new Error('unused'); } });`;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10000 });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  });
});
