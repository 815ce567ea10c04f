/**
 * Wraps an exporter so that a collector that is down or refusing data produces one warning
 * on stderr (and one "recovered" line when it comes back), never a line per batch and never
 * an exception in the app.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { rearm, warnOnce } from '../warn.ts';

interface Exporter<T> {
  export(items: T, resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** Counters of a guarded exporter, readable by benchmarks and tests. */
export interface ExportStats {
  /** Export calls that failed since start. */
  failures: number;
  /** Items (spans or metric batches) in failed exports. */
  itemsFailed: number;
  /** The last export failed (and none has succeeded since). */
  failing: boolean;
}

/**
 * @param inner - an OTLP span or metric exporter.
 * @param signal - `"spans"` or `"metrics"`, used in the message.
 * @param endpoint - the endpoint shown in the message.
 * @param stats - counters to update.
 * @returns `inner`, with `export` wrapped in place (other members untouched).
 */
export function guardExporter<T extends Exporter<any>>(inner: T, signal: string, endpoint: string, stats: ExportStats): T {
  const original = inner.export.bind(inner);
  const key = `export:${signal}`;
  inner.export = (items: unknown, done: (r: ExportResult) => void) => {
    const count = Array.isArray(items) ? items.length : 1;
    const finish = (result: ExportResult) => {
      if (result.code === ExportResultCode.SUCCESS) {
        if (stats.failing) {
          stats.failing = false;
          rearm(key);
          warnOnce(`${key}:recovered`, `exporting ${signal} to ${endpoint} works again.`);
        }
      } else {
        stats.failures++;
        stats.itemsFailed += count;
        if (!stats.failing) {
          stats.failing = true;
          rearm(`${key}:recovered`);
          warnOnce(
            key,
            `cannot export ${signal} to ${endpoint} (${result.error?.message ?? 'unknown error'}; the endpoint comes from ` +
              `OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_${signal === 'spans' ? 'TRACES' : 'METRICS'}_ENDPOINT); ` +
              'the app is not affected, and this is reported once until export works again.',
          );
        }
      }
      done(result);
    };
    try {
      original(items, finish);
    } catch (err) {
      finish({ code: ExportResultCode.FAILED, error: err as Error });
    }
  };
  return inner;
}
