/**
 * Freshness: time from the end of a request until its trace is returned by Jaeger's API. Each
 * request carries its own `traceparent`, so its trace ID is known in advance.
 */
import { randomBytes } from 'node:crypto';

/** p50/p95 in ms over `n` requests, and every sample. */
export interface Freshness {
  n: number;
  p50: number;
  p95: number;
  samples: number[];
}

/** @param appUrl - the api (with the preload). @param jaegerUrl - Jaeger's query API. */
export async function freshness(appUrl: string, jaegerUrl: string, n = 30): Promise<Freshness> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const traceId = randomBytes(16).toString('hex');
    const res = await fetch(`${appUrl}/v1/stock/${1 + i}`, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, 'x-client-id': 'team-fresh' } });
    await res.arrayBuffer();
    const t0 = Date.now();
    for (;;) {
      const r = await fetch(`${jaegerUrl}/api/traces/${traceId}`);
      if (r.ok && ((await r.json()) as { data?: unknown[] }).data?.length) break;
      if (Date.now() - t0 > 30_000) break;
      await new Promise((res2) => setTimeout(res2, 50));
    }
    samples.push(Date.now() - t0);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { n, p50: sorted[Math.floor(n * 0.5)]!, p95: sorted[Math.min(n - 1, Math.floor(n * 0.95))]!, samples };
}
