/**
 * Request queue time from `x-request-start` (New Relic's convention, set by load balancers and
 * routers): how long a request waited between the edge and this server.
 */
import type { IncomingMessage } from 'node:http';
import type { Attributes, Histogram, Meter } from '@opentelemetry/api';
import { ATTR_QUEUE_TIME } from '../semconv.ts';

const HEADER = 'x-request-start';

/**
 * Parses `x-request-start`: `t=<number>` or a bare number, in microseconds, milliseconds or
 * seconds since the epoch (told apart by magnitude, as agents do).
 * @returns milliseconds since the epoch, or `undefined` when absent or unparsable.
 */
export function parseRequestStart(raw: unknown): number | undefined {
  if (Array.isArray(raw)) raw = raw[0];
  if (typeof raw !== 'string') return undefined;
  const m = /^\s*(?:t=)?(\d+(?:\.\d+)?)\s*$/.exec(raw);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (n > 1e15) return n / 1000; // µs
  if (n > 1e12) return n; // ms
  if (n > 1e9) return n * 1000; // s
  return undefined;
}

/** Queue time in seconds for a request that arrived now, or `undefined`. Clamped at 0 (clock skew). */
export function queueTimeSeconds(raw: unknown, nowMs: number = Date.now()): number | undefined {
  const start = parseRequestStart(raw);
  if (start === undefined) return undefined;
  const s = (nowMs - start) / 1000;
  if (s > 3600) return undefined; // a stale or forged header is not a queue time
  return Math.max(0, s);
}

/**
 * Makes the HTTP instrumentation's `startIncomingSpanHook`: returns the queue-time attribute (if the
 * header is there) and records it in the histogram.
 * @param meter - where the `http.server.request.queue_time` histogram lives (read lazily).
 */
export function queueTimeHook(meter: () => Meter): (request: IncomingMessage) => Attributes {
  let histogram: Histogram | undefined;
  return (request) => {
    try {
      const s = queueTimeSeconds(request.headers?.[HEADER]);
      if (s === undefined) return {};
      histogram ??= meter().createHistogram(ATTR_QUEUE_TIME, {
        unit: 's',
        description: 'Time requests waited between the edge (x-request-start) and this server.',
        advice: { explicitBucketBoundaries: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
      });
      histogram.record(s);
      return { [ATTR_QUEUE_TIME]: s };
    } catch {
      return {};
    }
  };
}
