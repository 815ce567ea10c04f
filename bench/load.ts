/** One autocannon measurement (programmatic API) against one route of the api. */
import autocannon from 'autocannon';
import { percentile } from '@faultline/testkit';

/** The default route: one Redis read (item, cached) and one PostgreSQL query (live stock) per request. */
export const DEFAULT_ROUTE = '/v1/stock/:id';

/** What one measurement gives. */
export interface LoadResult {
  /** 2xx responses per second over the measured duration (autocannon's own elapsed time). */
  rps: number;
  /** Median latency, ms (0.01 ms resolution, from autocannon's per-response times). */
  p50: number;
  /** 99th percentile latency, ms. */
  p99: number;
  /** 2xx responses. */
  requests: number;
  /** Connection errors, timeouts and non-2xx responses. */
  errors: number;
}

/**
 * Runs autocannon for `durationS` seconds at `connections` concurrency against `url` + `route`,
 * `:id` replaced by a random item id 1..1000 per request, header `x-client-id: team-bench`.
 * @param url - the app's base URL. @param durationS - seconds. @param route - path with `:id`.
 */
export async function measure(url: string, durationS: number, route = DEFAULT_ROUTE, connections = 32): Promise<LoadResult> {
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    connections,
    duration: durationS,
    headers: { 'x-client-id': 'team-bench' },
    requests: [
      {
        method: 'GET',
        setupRequest: (req: { path?: string }) => ({ ...req, path: route.replace(':id', String(1 + Math.floor(Math.random() * 1000))) }),
      },
    ],
  });
  // autocannon's own histogram keeps whole milliseconds; these are the exact per-response times.
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: latencies.length / (result.duration || durationS),
    p50: +percentile(sorted, 0.5).toFixed(2),
    p99: +percentile(sorted, 0.99).toFixed(2),
    requests: latencies.length,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}
