/** A small client for Jaeger's HTTP query API (`/api/...`), as the tests and the CLI read it. */

/** A span as Jaeger's `/api/traces` returns it, with tags flattened to a map. */
export interface JSpan {
  traceId: string;
  spanId: string;
  parentId: string | undefined;
  service: string;
  name: string;
  kind: string | undefined;
  tags: Record<string, string | number | boolean>;
}

/** A trace: its spans, in Jaeger's order. */
export interface JTrace {
  traceId: string;
  spans: JSpan[];
}

interface RawTrace {
  traceID: string;
  spans: {
    traceID: string;
    spanID: string;
    operationName: string;
    references?: { refType: string; spanID: string }[];
    tags?: { key: string; value: string | number | boolean }[];
    processID: string;
  }[];
  processes: Record<string, { serviceName: string }>;
}

/** Converts Jaeger's JSON trace into {@link JTrace}. */
export function parseTrace(raw: RawTrace): JTrace {
  return {
    traceId: raw.traceID,
    spans: raw.spans.map((s) => {
      const tags: Record<string, string | number | boolean> = {};
      for (const t of s.tags ?? []) tags[t.key] = t.value;
      return {
        traceId: s.traceID,
        spanId: s.spanID,
        parentId: s.references?.find((r) => r.refType === 'CHILD_OF')?.spanID,
        service: raw.processes[s.processID]?.serviceName ?? '?',
        name: s.operationName,
        kind: tags['span.kind'] as string | undefined,
        tags,
      };
    }),
  };
}

/**
 * `GET {base}/api/traces` with the given query.
 * @param base - Jaeger query URL, e.g. `http://127.0.0.1:16686`.
 * @param query - `service`, `tags` (object, JSON-encoded here), `limit`, `lookback`, …
 */
export async function findTraces(base: string, query: Record<string, string | number | object>): Promise<JTrace[]> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) params.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  const res = await fetch(`${base}/api/traces?${params}`);
  if (!res.ok) throw new Error(`Jaeger ${res.status} for /api/traces?${params}: ${await res.text()}`);
  const body = (await res.json()) as { data: RawTrace[] | null };
  return (body.data ?? []).map(parseTrace);
}

/** `GET {base}/api/services`: the service names Jaeger has seen. */
export async function services(base: string): Promise<string[]> {
  const res = await fetch(`${base}/api/services`);
  if (!res.ok) throw new Error(`Jaeger ${res.status} for /api/services`);
  return ((await res.json()) as { data: string[] | null }).data ?? [];
}

/** Polls `probe` every `intervalMs` until it returns a value other than `undefined`, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60000, intervalMs = 1000): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
