/** One autocannon measurement against the api's `/v1/stock/:id` (random ids: one Redis read + one query each). */
import autocannon from 'autocannon';

/** What one measurement gives. Latencies in ms. */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

/**
 * Runs autocannon for `durationS` seconds at `connections` concurrency.
 * @param url - the app's base URL.
 */
export async function measure(url: string, durationS: number, connections = 32): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections,
    duration: durationS,
    headers: { 'x-client-id': 'team-bench' },
    requests: [
      {
        method: 'GET',
        setupRequest: (req: { path?: string }) => ({ ...req, path: `/v1/stock/${1 + Math.floor(Math.random() * 1000)}` }),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
  };
}
