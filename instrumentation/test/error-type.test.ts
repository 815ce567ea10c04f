import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ErrorTypeProcessor, errorTypeOf } from '../src/spans/error-type.ts';

describe('error.type on failed spans', () => {
  it('names the client timeouts of pg, pg-pool and ioredis, else takes the exception type', () => {
    assert.equal(errorTypeOf('timeout exceeded when trying to connect', 'Error'), 'pg.pool.acquire_timeout');
    assert.equal(errorTypeOf('Connection terminated due to connection timeout', 'Error'), 'pg.connect_timeout');
    assert.equal(errorTypeOf('Query read timeout', 'Error'), 'pg.query_timeout');
    assert.equal(errorTypeOf('canceling statement due to statement timeout', '57014'), 'pg.statement_timeout');
    assert.equal(errorTypeOf('Command timed out', 'Error'), 'redis.command_timeout');
    assert.equal(errorTypeOf('read ECONNRESET', 'ECONNRESET'), 'ECONNRESET');
    assert.equal(errorTypeOf(undefined, undefined), '_OTHER');
  });

  it('sets it as the span ends, only on failed spans without one', async () => {
    const exporter = new InMemorySpanExporter();
    const simple = new SimpleSpanProcessor({ exporter });
    const tracer = new TracerProvider({ spanProcessors: [new ErrorTypeProcessor(), simple] }).getTracer('t');
    const timedOut = tracer.startSpan('pg-pool.connect');
    const err = new Error('timeout exceeded when trying to connect');
    timedOut.recordException(err);
    timedOut.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    timedOut.end();
    const reset = tracer.startSpan('get');
    reset.recordException(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    reset.setStatus({ code: SpanStatusCode.ERROR });
    reset.end();
    const own = tracer.startSpan('GET /x', { attributes: { 'error.type': '503' } });
    own.setStatus({ code: SpanStatusCode.ERROR });
    own.end();
    tracer.startSpan('ok').end();
    await simple.forceFlush();
    const types = Object.fromEntries(exporter.getFinishedSpans().map((s) => [s.name, s.attributes['error.type']]));
    assert.deepEqual(types, { 'pg-pool.connect': 'pg.pool.acquire_timeout', get: 'ECONNRESET', 'GET /x': '503', ok: undefined });
  });
});
