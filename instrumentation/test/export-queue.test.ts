/**
 * The span export queue's drop warning comes from the SDK's own self-metric
 * (`otel.sdk.processor.span.processed{error.type="queue_full"}`), which still reaches the app's
 * MeterProvider unchanged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ExportResult } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { ExportQueue } from '../src/export/export-queue.ts';
import { METRIC_SPAN_PROCESSED, onQueueFull, QUEUE_FULL } from '../src/export/queue-full.ts';
import { captureWarnings } from './support/warnings.ts';

class Reader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** An exporter whose first export never finishes, so the queue behind it fills up. */
class StuckExporter implements SpanExporter {
  exported = 0;
  export(spans: ReadableSpan[], _done: (r: ExportResult) => void): void {
    this.exported += spans.length;
  }
  async shutdown(): Promise<void> {}
}

describe('ExportQueue', () => {
  const warnings = captureWarnings();

  it('warns once when the SDK counts the first dropped span, and the SDK metric is intact', async () => {
    const env = { OTEL_BSP_MAX_QUEUE_SIZE: '5', OTEL_BSP_EXPORT_TIMEOUT: '50' }; // the stuck export gives up at once
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const reader = new Reader();
      const exporter = new StuckExporter();
      const queue = new ExportQueue(exporter);
      queue.start(new MeterProvider({ readers: [reader] }));
      const tracer = new TracerProvider({ spanProcessors: [queue] }).getTracer('t');
      for (let i = 0; i < 5 + 5; i++) tracer.startSpan('kept').end();
      assert.equal(warnings.length, 0, 'a full batch in export and a full queue: nothing dropped yet');
      for (let i = 0; i < 7; i++) tracer.startSpan('dropped').end();
      assert.equal(exporter.exported, 5);
      assert.equal(warnings.length, 1, warnings.join(''));
      assert.match(warnings[0]!, /the span export queue is full \(OTEL_BSP_MAX_QUEUE_SIZE=5\)/);
      const { resourceMetrics } = await reader.collect();
      const processed = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === METRIC_SPAN_PROCESSED);
      const dropped = processed?.dataPoints.find((p) => p.attributes['error.type'] === QUEUE_FULL);
      assert.equal(dropped?.value, 7);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('onQueueFull', () => {
  it('passes every instrument through and calls back only for queue_full on the processed counter', async () => {
    const reader = new Reader();
    let calls = 0;
    const meter = onQueueFull(new MeterProvider({ readers: [reader] }), () => calls++).getMeter('m');
    const processed = meter.createCounter(METRIC_SPAN_PROCESSED);
    const other = meter.createCounter('other');
    processed.add(3);
    processed.add(1, { 'error.type': 'TimeoutError' });
    other.add(1, { 'error.type': QUEUE_FULL });
    assert.equal(calls, 0);
    processed.add(2, { 'error.type': QUEUE_FULL });
    assert.equal(calls, 1);
    meter.createHistogram('h').record(1);
    const { resourceMetrics } = await reader.collect();
    const names = resourceMetrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .map((m) => m.descriptor.name)
      .sort();
    assert.deepEqual(names, ['h', METRIC_SPAN_PROCESSED, 'other'].sort());
  });

  it('a throwing callback never reaches the caller', () => {
    const meter = onQueueFull(new MeterProvider(), () => {
      throw new Error('x');
    }).getMeter('m');
    assert.doesNotThrow(() => meter.createCounter(METRIC_SPAN_PROCESSED).add(1, { 'error.type': QUEUE_FULL }));
  });
});
