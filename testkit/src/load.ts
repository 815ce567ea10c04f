/**
 * A small paced load for tests: `concurrency` workers send requests for `durationMs` at a fixed total
 * rate and record each latency; the same load on several targets at the same moments, for side-by-side
 * comparisons. Loopback only, bounded in time. (The bench's own load is autocannon's,
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
  const [phase] = await loadSideBySide([url], durationMs, rps, concurrency, headers);
  return phase!;
}

/**
 * The same paced load on several URLs at the same moments: at each of its ticks a worker sends one
 * request to every URL at once (which one first rotates), so that whatever else the machine is doing
 * falls on all of them alike. For comparisons measured side by side (an app under a fault against a control app).
 * @param urls - the targets; each gets its own connections (`concurrency` of them).
 * @param durationMs - how long to send, ms.
 * @param rps - target requests per second to each URL. Default 300.
 * @param concurrency - workers; each holds one connection to every URL. Default 8.
 * @param headers - sent with every request. Default none.
 * @returns one summary per URL, in the order of `urls`.
 */
export async function loadSideBySide(
  urls: string[],
  durationMs: number,
  rps = 300,
  concurrency = 8,
  headers: Record<string, string> = {},
): Promise<Phase[]> {
  const intervalMs = (1000 * concurrency) / rps;
  const agents = urls.map(() => new Agent({ connections: concurrency }));
  const latencies: number[][] = urls.map(() => []);
  const errors = urls.map(() => 0);
  const send = async (i: number): Promise<void> => {
    const t0 = performance.now();
    try {
      const res = await request(urls[i]!, { dispatcher: agents[i], headers });
      await res.body.dump();
      if (res.statusCode >= 400) errors[i]!++;
    } catch {
      errors[i]!++;
    }
    latencies[i]!.push(performance.now() - t0);
  };
  const end = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      let next = performance.now() + Math.random() * intervalMs;
      let first = w;
      while (Date.now() < end) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        next += intervalMs;
        // Who goes first rotates with each tick, so that neither target always has the head start.
        first = (first + 1) % urls.length;
        await Promise.all(urls.map((_, i) => send((i + first) % urls.length)));
      }
    }),
  );
  await Promise.all(agents.map((a) => a.close()));
  return latencies.map((l, i) => {
    l.sort((a, b) => a - b);
    return { requests: l.length, errors: errors[i]!, p50: percentile(l, 0.5), p99: percentile(l, 0.99) };
  });
}
