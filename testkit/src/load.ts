/**
 * A small paced load for tests: `concurrency` workers send requests for `durationMs` at a fixed total
 * rate and record each latency. Loopback only, bounded in time. (The bench's own load is autocannon's,
 * bench/load.ts; both summarise with {@link percentile}.)
 */
import { Agent, request } from 'undici';
import { percentile } from './percentile.ts';

/** Summary of one load phase; latencies in ms. */
export interface Phase {
  /** Requests sent (answered or failed). */
  requests: number;
  /** Requests that failed or were answered with status ≥ 400. */
  errors: number;
  p50: number;
  p99: number;
}

/**
 * Runs the load against `url` and summarises it.
 * @param durationMs - how long to send, ms.
 * @param rps - target requests per second over all workers (paced; a slow answer delays only its worker). Default 300.
 * @param concurrency - workers, each with its own connection. Default 8.
 * @param headers - sent with every request. Default none.
 */
export async function loadPhase(
  url: string,
  durationMs: number,
  rps = 300,
  concurrency = 8,
  headers: Record<string, string> = {},
): Promise<Phase> {
  const intervalMs = (1000 * concurrency) / rps;
  const agent = new Agent({ connections: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      let next = performance.now() + Math.random() * intervalMs;
      while (Date.now() < end) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        next += intervalMs;
        const t0 = performance.now();
        try {
          const res = await request(url, { dispatcher: agent, headers });
          await res.body.dump();
          if (res.statusCode >= 400) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  await agent.close();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}
