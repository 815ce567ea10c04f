/**
 * The resource attributes a service's spans carried, read back from Jaeger: Jaeger keeps them as the
 * trace's process tags (`/api/traces/{id}`, `data[0].processes[*].tags`; `service.name` is the
 * process's `serviceName`). The shared Jaeger client flattens spans only, so this reads the raw JSON.
 */

/** One process of a raw Jaeger trace. */
interface RawProcess {
  serviceName: string;
  tags?: { key: string; value: string | number | boolean }[];
}

/**
 * Resource attributes of `service` in trace `traceId`.
 * @param jaegerBase - Jaeger's query API base URL.
 * @throws Error when Jaeger does not answer or the trace holds no process of that service.
 */
export async function resourceOf(jaegerBase: string, traceId: string, service: string): Promise<Record<string, string | number | boolean>> {
  const res = await fetch(`${jaegerBase}/api/traces/${traceId}`);
  if (!res.ok) throw new Error(`Jaeger answered /api/traces/${traceId} with HTTP ${res.status}`);
  const body = (await res.json()) as { data: { processes: Record<string, RawProcess> }[] };
  const proc = Object.values(body.data[0]?.processes ?? {}).find((p) => p.serviceName === service);
  if (!proc) throw new Error(`trace ${traceId} has no process of ${service}`);
  return Object.fromEntries((proc.tags ?? []).map((t) => [t.key, t.value]));
}
