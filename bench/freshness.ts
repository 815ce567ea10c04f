/**
 * Freshness: time from the end of a request (its response fully read) until Jaeger's API returns its
 * trace with the server span (which ends last, so the trace is complete). Each request carries its own
 * W3C `traceparent` (sampled), so its trace ID is known in advance.
 */
import { randomBytes } from 'node:crypto';
import { jaeger } from '@faultline/signals';
import { percentile } from '@faultline/testkit';

/** p50/p95/max in ms over `n` requests, and every sample (ms; `timeoutMs` when never found). */
export interface Freshness {
  n: number;
  p50: number;
  p95: number;
  max: number;
  /** Requests whose trace was not found within `timeoutMs`. */
  missing: number;
  /** Poll interval against Jaeger, ms (the resolution of each sample). */
  pollMs: number;
  samples: number[];
}

/** One request through the api with a known trace ID, then polls Jaeger; @returns ms until found. */
async function one(appUrl: string, route: string, jaegerUrl: string, id: number, pollMs: number, timeoutMs: number): Promise<number> {
  const traceId = randomBytes(16).toString('hex');
  const res = await fetch(`${appUrl}${route.replace(':id', String(id))}`, {
    headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, 'x-client-id': 'team-fresh' },
  });
  await res.arrayBuffer();
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    const trace = await jaeger.getTrace(jaegerUrl, traceId);
    if (trace?.spans.some((s) => s.kind === 'server')) return Math.round(performance.now() - t0);
    await new Promise((res2) => setTimeout(res2, pollMs));
  }
  return timeoutMs;
}

/**
 * Sends `n` requests, one every `spacingMs` (so they fall at every point of the SDK's batch cycle),
 * each followed by its own Jaeger poll.
 * @param appUrl - the api, running with faultline's preload. @param jaegerUrl - Jaeger's query API base.
 */
export async function freshness(
  appUrl: string,
  route: string,
  jaegerUrl: string,
  n = 30,
  spacingMs = 250,
  timeoutMs = 30_000,
): Promise<Freshness> {
  const pollMs = 25;
  const pending: Promise<number>[] = [];
  for (let i = 0; i < n; i++) {
    pending.push(one(appUrl, route, jaegerUrl, 1 + i, pollMs, timeoutMs));
    await new Promise((r) => setTimeout(r, spacingMs));
  }
  const samples = await Promise.all(pending);
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted[n - 1]!,
    missing: samples.filter((s) => s >= timeoutMs).length,
    pollMs,
    samples,
  };
}
