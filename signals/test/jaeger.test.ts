/** jaeger.ts: Jaeger's JSON trace as spans, with the span's and its process's tags. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTrace, type RawJaegerTrace } from '../src/jaeger.ts';

describe('parseTrace', () => {
  it("flattens a span's tags and its process's tags (the resource: instance, creation time)", () => {
    const raw: RawJaegerTrace = {
      traceID: 't1',
      spans: [
        {
          traceID: 't1',
          spanID: 's1',
          operationName: 'GET /v1/items/:id',
          startTime: 1_700_000_000_000_000,
          duration: 1200,
          tags: [{ key: 'span.kind', value: 'server' }],
          processID: 'p1',
        },
        { traceID: 't1', spanID: 's2', operationName: 'get', startTime: 1_700_000_000_000_100, processID: 'p2' },
      ],
      processes: {
        p1: {
          serviceName: 'api',
          tags: [
            { key: 'service.instance.id', value: 'api-1' },
            { key: 'process.creation.time', value: '2026-12-02T06:00:00.000Z' },
          ],
        },
        p2: { serviceName: 'api' },
      },
    };
    const [a, b] = parseTrace(raw).spans;
    assert.equal(a?.kind, 'server');
    assert.deepEqual(a.processTags, { 'service.instance.id': 'api-1', 'process.creation.time': '2026-12-02T06:00:00.000Z' });
    assert.deepEqual(b?.processTags, {}, 'a process without tags');
    assert.equal(b.duration, 0);
  });
});
