/**
 * Micro-benchmark of the span export path's CPU (issue 20, lever 3): µs per span to serialize a batch
 * with OpenTelemetry's own OTLP protobuf serializer (what faultline's exporter sends), for the spans
 * one request of the demo api makes (an HTTP server span, a Redis read, a PostgreSQL query; real SDK
 * spans from a real TracerProvider), side by side in one run:
 * - with faultline's stamping (client ID + 5 pool attributes) and without it;
 * - batches of 64, 512 (the default `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`) and 2048 spans;
 * - faultline's resource (the local detectors' attributes) and a one-attribute resource;
 * - gzip of the payload (`OTEL_EXPORTER_OTLP_COMPRESSION=gzip`; faultline sends uncompressed, the default).
 * Each variant interleaved over rounds, medians.
 *
 *   node bench/export-cost.ts [--rounds 7] [--spans 10240]
 */
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ROOT_CONTEXT, SpanKind, trace, type Attributes } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { withClientId } from '../instrumentation/src/client-id.ts';
import { PoolRegistry } from '../instrumentation/src/pool-registry.ts';
import { StampingSpanProcessor } from '../instrumentation/src/stamping-processor.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, spans: { type: 'string', default: '10240' } } });
const ROUNDS = Number(values.rounds);
const SPANS = Number(values.spans);

/** Resource attributes as faultline's detectors and settings give them on these machines. */
const FAULTLINE_RESOURCE: Attributes = {
  'service.name': 'api',
  'service.version': '0.2.0',
  'service.instance.id': '3f0c3f0e-4a55-4f83-9d3a-1c8a0b8d1e21',
  'host.name': 'bench-host',
  'host.arch': 'amd64',
  'host.id': '6b7c0f6e2f7a4a0e9d3b1a2c3d4e5f60',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.version': '3.0.0',
  'telemetry.distro.name': 'faultline',
  'telemetry.distro.version': '0.2.0',
  'process.creation.time': '2026-12-02T04:00:00.000Z',
  'faultline.edge': true,
};

class Collect implements SpanProcessor {
  spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(s: ReadableSpan): void {
    this.spans.push(s);
  }
  forceFlush = () => Promise.resolve();
  shutdown = () => Promise.resolve();
}

const pool = new pg.Pool({ host: '127.0.0.1', port: 5432, database: 'bench', max: 10 });
const pools = new PoolRegistry();
pools.add(pool);

/** `n` spans, three per request as the demo api's route makes them, with or without faultline's stamping. */
function makeSpans(n: number, stamped: boolean, resource: Resource): ReadableSpan[] {
  const out = new Collect();
  const processors: SpanProcessor[] = stamped ? [new StampingSpanProcessor(pools), out] : [out];
  const tracer = new TracerProvider({ resource, spanProcessors: processors }).getTracer('@opentelemetry/instrumentation-http', '0.300.0');
  const redis = new TracerProvider({ resource, spanProcessors: processors }).getTracer('@opentelemetry/instrumentation-ioredis', '0.72.0');
  const pgT = new TracerProvider({ resource, spanProcessors: processors }).getTracer('@opentelemetry/instrumentation-pg', '0.77.0');
  const base = withClientId(ROOT_CONTEXT, 'team-17');
  for (let i = 0; out.spans.length < n; i++) {
    const server = tracer.startSpan(
      'GET /v1/stock/:id',
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': 'GET',
          'url.scheme': 'http',
          'url.path': `/v1/stock/${i % 1000}`,
          'server.address': '127.0.0.1',
          'server.port': 8080,
          'network.peer.address': '127.0.0.1',
          'network.peer.port': 40000 + (i % 1000),
          'network.protocol.version': '1.1',
          'user_agent.original': 'autocannon',
          'client.address': '127.0.0.1',
        },
      },
      base,
    );
    server.setAttribute('http.route', '/v1/stock/:id');
    server.setAttribute('http.response.status_code', 200);
    const ctx = trace.setSpan(base, server);
    const r = redis.startSpan(
      'get',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'redis',
          'db.query.text': `get item:${i % 1000}`,
          'server.address': '127.0.0.1',
          'server.port': 6379,
        },
      },
      ctx,
    );
    r.setAttribute('cache.hit', true);
    r.end();
    const q = pgT.startSpan(
      'pg.query:SELECT bench',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'postgresql',
          'db.namespace': 'bench',
          'db.query.text': 'SELECT stock FROM items WHERE id = $1',
          'db.operation.name': 'SELECT',
          'server.address': '127.0.0.1',
          'server.port': 5432,
          'db.client.connection.wait_time_ms': 0.05,
        },
      },
      ctx,
    );
    q.end();
    server.end();
  }
  return out.spans.slice(0, n);
}

const full = resourceFromAttributes(FAULTLINE_RESOURCE);
const minimal = resourceFromAttributes({ 'service.name': 'api' });
const sets = {
  stamped: makeSpans(SPANS, true, full),
  unstamped: makeSpans(SPANS, false, full),
  minimalResource: makeSpans(SPANS, true, minimal),
};

/** µs per span to serialize `spans` in batches of `batch` (and gzip them when `gzip`). */
function serialize(spans: ReadableSpan[], batch: number, gzip = false): { us: number; bytesPerSpan: number } {
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i + batch <= spans.length; i += batch) {
    const body = ProtobufTraceSerializer.serializeRequest(spans.slice(i, i + batch))!;
    bytes += gzip ? gzipSync(body).byteLength : body.byteLength;
  }
  const n = Math.floor(spans.length / batch) * batch;
  return { us: Number(process.hrtime.bigint() - t0) / 1000 / n, bytesPerSpan: bytes / n };
}

const variants: [string, () => { us: number; bytesPerSpan: number }][] = [
  ['stamped, batch 512', () => serialize(sets.stamped, 512)],
  ['not stamped, batch 512', () => serialize(sets.unstamped, 512)],
  ['stamped, batch 64', () => serialize(sets.stamped, 64)],
  ['stamped, batch 2048', () => serialize(sets.stamped, 2048)],
  ['stamped, one-attribute resource, batch 512', () => serialize(sets.minimalResource, 512)],
  ['stamped, batch 512, gzip', () => serialize(sets.stamped, 512, true)],
];
for (let w = 0; w < 2; w++) for (const [, f] of variants) f();
const rows = new Map<string, { us: number[]; bytes: number }>(variants.map(([k]) => [k, { us: [], bytes: 0 }]));
for (let r = 0; r < ROUNDS; r++)
  for (const [k, f] of variants) {
    const x = f();
    rows.get(k)!.us.push(x.us);
    rows.get(k)!.bytes = x.bytesPerSpan;
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const attrs = (s: ReadableSpan[]) => s.reduce((n, x) => n + Object.keys(x.attributes).length, 0) / s.length;
const result = {
  spans: SPANS,
  rounds: ROUNDS,
  attributesPerSpan: { stamped: +attrs(sets.stamped).toFixed(1), unstamped: +attrs(sets.unstamped).toFixed(1) },
  serializeUsPerSpan: Object.fromEntries(
    [...rows].map(([k, v]) => [k, { us: +median(v.us).toFixed(2), bytesPerSpan: Math.round(v.bytes) }]),
  ),
};
console.log(JSON.stringify(result));
await pool.end();
