/**
 * Process memory gauges, so a slow leak shows up next to the traces (semantic conventions:
 * https://opentelemetry.io/docs/specs/semconv/system/process-metrics/ and
 * https://opentelemetry.io/docs/specs/semconv/runtime/v8js-metrics/):
 * `process.memory.usage` (resident set size, By) and `v8js.memory.heap.used` (By, by
 * `v8js.heap.space.name` is not recorded: one total keeps it cheap).
 */
import type { Meter } from '@opentelemetry/api';

/** `process.memory.usage`: the resident set size. Semantic conventions (development). */
export const METRIC_PROCESS_MEMORY_USAGE = 'process.memory.usage';
/** `v8js.memory.heap.used`: V8 heap in use. Semantic conventions (development). */
export const METRIC_V8_HEAP_USED = 'v8js.memory.heap.used';

/** Registers both gauges on `meter`; they are read at each metric collection (every 5 s by default). */
export function registerRuntimeMetrics(meter: Meter): void {
  const rss = meter.createObservableUpDownCounter(METRIC_PROCESS_MEMORY_USAGE, {
    description: 'The amount of physical memory in use.',
    unit: 'By',
  });
  const heap = meter.createObservableUpDownCounter(METRIC_V8_HEAP_USED, { description: 'Heap memory size in use.', unit: 'By' });
  meter.addBatchObservableCallback(
    (result) => {
      const m = process.memoryUsage();
      result.observe(rss, m.rss);
      result.observe(heap, m.heapUsed);
    },
    [rss, heap],
  );
}
