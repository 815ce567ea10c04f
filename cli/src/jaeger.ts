/** Example traces for a finding, from Jaeger's HTTP query API. */
import { SourceError } from './prometheus.ts';

/**
 * Up to `limit` trace IDs of `service` matching `tags` in the last `lookbackS` seconds.
 * @throws SourceError when Jaeger is unreachable.
 */
export async function exampleTraces(base: string, service: string, tags: Record<string, string>, lookbackS: number, limit = 3, operation?: string, minDuration?: string): Promise<string[]> {
  const params = new URLSearchParams({ service, limit: String(limit), lookback: `${Math.max(1, Math.ceil(lookbackS))}s` });
  if (Object.keys(tags).length) params.set('tags', JSON.stringify(tags));
  if (operation) params.set('operation', operation);
  if (minDuration) params.set('minDuration', minDuration);
  let res: Response;
  try {
    res = await fetch(`${base}/api/traces?${params}`, { signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new SourceError('Jaeger', `cannot reach Jaeger at ${base} (${(err as Error).message})`);
  }
  if (!res.ok) return [];
  const body = (await res.json()) as { data?: { traceID: string }[] | null };
  return (body.data ?? []).map((t) => t.traceID).slice(0, limit);
}

/** The Jaeger UI link of a trace. */
export function traceUrl(base: string, traceId: string): string {
  return `${base}/trace/${traceId}`;
}
