/**
 * Sending one event to the Collector as an OTLP/HTTP JSON log record (`POST <collector>/v1/logs`), the
 * same thing the documented `curl` line does. The Collector's logs pipeline stores it in VictoriaLogs.
 * OTLP JSON encoding: https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
 */
import { SourceError } from '@faultline/signals';

/** An event to record. Attribute values are strings (what the store keeps anyway). */
export interface EventRecord {
  /** Resource attributes, e.g. `service.name`, `service.version`. */
  resource: Record<string, string>;
  /** Record attributes, e.g. `event.name`, `client.id`. Undefined values are left out. */
  attributes: Record<string, string | undefined>;
  /** The human text (body). */
  body: string;
  /** OTLP severity text. Default `INFO`. */
  severityText?: string;
  /** OTLP severity number. Default 9 (INFO). */
  severityNumber?: number;
  /** When it happened, ms since the epoch. Default: now. */
  timeMs?: number;
}

/** Where to send. */
export interface CollectorTarget {
  /** OTLP/HTTP base URL of the Collector, e.g. `http://127.0.0.1:4318`. */
  url: string;
  /** Bearer token when the Collector requires one (collector/auth.yaml). Empty: none. */
  token?: string;
}

const kv = (o: Record<string, string | undefined>) =>
  Object.entries(o)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([key, v]) => ({ key, value: { stringValue: v } }));

/** The OTLP JSON `ExportLogsServiceRequest` body for one event. */
export function otlpJson(e: EventRecord): object {
  const t = String(BigInt(Math.round(e.timeMs ?? Date.now())) * 1_000_000n);
  return {
    resourceLogs: [
      {
        resource: { attributes: kv(e.resource) },
        scopeLogs: [
          {
            scope: { name: 'faultline' },
            logRecords: [
              {
                timeUnixNano: t,
                observedTimeUnixNano: t,
                severityText: e.severityText ?? 'INFO',
                severityNumber: e.severityNumber ?? 9,
                body: { stringValue: e.body },
                attributes: kv(e.attributes),
              },
            ],
          },
        ],
      },
    ],
  };
}

/**
 * Posts the event to the Collector.
 * @throws SourceError naming the Collector when it cannot be reached or refuses the record.
 */
export async function sendEvent(target: CollectorTarget, e: EventRecord): Promise<void> {
  const url = `${target.url}/v1/logs`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) },
      body: JSON.stringify(otlpJson(e)),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new SourceError(
      'Collector',
      target.url,
      `cannot reach the Collector at ${target.url} (${(err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message})`,
    );
  }
  if (!res.ok)
    throw new SourceError(
      'Collector',
      target.url,
      `the Collector at ${target.url} refused the event (HTTP ${res.status}): ${(await res.text()).slice(0, 200)}`,
    );
}
