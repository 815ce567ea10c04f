/** A minimal client for Prometheus' HTTP API (`/api/v1/query`). */

/** One instant-vector sample. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Raised when Prometheus cannot be reached or answers with an error; names the URL. */
export class SourceError extends Error {
  readonly source: string;
  constructor(source: string, message: string) {
    super(message);
    this.name = 'SourceError';
    this.source = source;
  }
}

/**
 * Evaluates `query` at `time` (seconds since the epoch, default now).
 * @throws SourceError when Prometheus is unreachable or rejects the query.
 */
export async function instant(base: string, query: string, time?: number): Promise<Sample[]> {
  const params = new URLSearchParams({ query });
  if (time !== undefined) params.set('time', String(time));
  let res: Response;
  try {
    res = await fetch(`${base}/api/v1/query?${params}`, { signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new SourceError('Prometheus', `cannot reach Prometheus at ${base} (${(err as Error).message})`);
  }
  const body = (await res.json().catch(() => ({}))) as { status?: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success') throw new SourceError('Prometheus', `Prometheus at ${base} rejected ${query}: ${body.error ?? res.status}`);
  return (body.data?.result ?? []).map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}
