import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { isHit } from '../src/spans/cache.ts';
import { parseRequestStart, queueTimeSeconds } from '../src/spans/queue-time.ts';
import { ResendCountProcessor } from '../src/spans/resend.ts';

describe('cache hit from a Redis reply', () => {
  it('tells hits from misses', () => {
    assert.equal(isHit('value'), true);
    assert.equal(isHit(Buffer.from('')), true);
    assert.equal(isHit(null), false);
    assert.equal(isHit(['a', 'b']), true);
    assert.equal(isHit(['a', null]), false, 'a multi-key read with one miss is a miss');
    assert.equal(isHit([]), false);
    assert.equal(isHit({ f: '1' }), true);
    assert.equal(isHit({}), false, 'HGETALL of a missing key');
  });
});

describe('x-request-start', () => {
  it('reads microseconds, milliseconds and seconds, with or without t=', () => {
    assert.equal(parseRequestStart('t=1700000000123456'), 1700000000123.456);
    assert.equal(parseRequestStart('1700000000123'), 1700000000123);
    assert.equal(parseRequestStart('t=1700000000.5'), 1700000000500);
    for (const bad of [undefined, '', 't=', 'abc', 't=12', '-1', 't=1e15', 42])
      assert.equal(parseRequestStart(bad), undefined, String(bad));
  });
  it('gives the queue time in seconds, clamped at zero, and ignores stale headers', () => {
    const now = 1700000000000;
    assert.equal(queueTimeSeconds(`t=${(now - 250) * 1000}`, now), 0.25);
    assert.equal(queueTimeSeconds(`t=${(now + 5) * 1000}`, now), 0, 'clock skew');
    assert.equal(queueTimeSeconds(`t=${(now - 7_200_000) * 1000}`, now), undefined);
  });
});

describe('http.request.resend_count', () => {
  it('numbers repeated client requests under the same parent', async () => {
    const exporter = new InMemorySpanExporter();
    const simple = new SimpleSpanProcessor({ exporter });
    const tracer = new TracerProvider({ spanProcessors: [new ResendCountProcessor(), simple] }).getTracer('t');
    const parent = tracer.startSpan('handler');
    const ctx = trace.setSpan(ROOT_CONTEXT, parent);
    const client = (url: string) =>
      tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes: { 'url.full': url, 'http.request.method': 'GET' } }, ctx).end();
    client('http://partner/v1/rates/EUR');
    client('http://partner/v1/rates/EUR');
    client('http://partner/v1/rates/EUR');
    client('http://partner/v1/rates/GBP');
    const other = tracer.startSpan('other-handler');
    tracer
      .startSpan(
        'GET',
        { kind: SpanKind.CLIENT, attributes: { 'url.full': 'http://partner/v1/rates/EUR', 'http.request.method': 'GET' } },
        trace.setSpan(ROOT_CONTEXT, other),
      )
      .end();
    parent.end();
    other.end();
    await simple.forceFlush();
    const counts = exporter
      .getFinishedSpans()
      .filter((s) => s.kind === SpanKind.CLIENT)
      .map((s) => s.attributes['http.request.resend_count']);
    assert.deepEqual(counts, [undefined, 1, 2, undefined, undefined]);
  });
});
