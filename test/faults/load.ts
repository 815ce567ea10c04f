/**
 * A small closed-loop load for fault tests: `concurrency` workers send requests back to back for
 * `durationMs` and record each latency. Loopback only, bounded in time.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';

/** Latency summary of one load phase, in ms. */
export interface Phase {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Runs the load against `url` and summarises it.
 * @param rps - target requests per second over all workers (paced; a slow answer delays only its worker).
 */
export async function loadPhase(url: string, durationMs: number, rps = 300, concurrency = 8, headers: Record<string, string> = {}): Promise<Phase> {
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
  return { requests: latencies.length, errors, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Resident set size of a process in MB, from /proc. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
