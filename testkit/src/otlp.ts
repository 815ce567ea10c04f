/**
 * Hand-made traces for tests that need exact shapes (a status, an event, a duration, an attribute) without
 * running an instrumented app: OTLP/JSON bodies (the OTLP/HTTP JSON encoding of
 * `ExportTraceServiceRequest`, https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding) and a
 * sender for any OTLP/HTTP receiver (the Collector's, or Jaeger's own).
 */
import { randomBytes } from 'node:crypto';

/** An attribute value as tests write it; integers become `intValue`, other numbers `doubleValue`. */
export type AttrValue = string | number | boolean;

/** One span of a hand-made trace. */
export interface TestSpan {
  /** 32 hex digits ({@link newTraceId}). */
  traceId: string;
  /** 16 hex digits ({@link newSpanId}). */
  spanId: string;
  /** The parent's span ID; none for a root span. */
  parentSpanId?: string;
  name: string;
  /** Span kind. Default `internal`. */
  kind?: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  /** Start, Unix ms. Default: `durationMs` before now. */
  startMs?: number;
  /** Duration, ms (fractions allowed). Default 5. */
  durationMs?: number;
  attributes?: Record<string, AttrValue>;
  /** Span events, at the span's start. */
  events?: { name: string; attributes?: Record<string, AttrValue> }[];
  /** Status ERROR (with this message) when set. Default: status unset. */
  error?: string;
}

/** The spans one process (resource) sends. */
export interface TestResourceSpans {
  /** `service.name`. */
  service: string;
  /** More resource attributes (`service.instance.id`, `service.version`, …). */
  resource?: Record<string, AttrValue>;
  spans: TestSpan[];
}

const KINDS = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

/** A random W3C trace ID (32 hex digits). */
export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

/** A random span ID (16 hex digits). */
export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}

function attrs(a: Record<string, AttrValue> = {}) {
  return Object.entries(a).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : Number.isInteger(v)
            ? { intValue: v }
            : { doubleValue: v },
  }));
}

const nanos = (ms: number): string => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

/** The OTLP/JSON `ExportTraceServiceRequest` body for `groups`. */
export function otlpTraceBody(groups: TestResourceSpans[]): object {
  return {
    resourceSpans: groups.map((g) => ({
      resource: { attributes: attrs({ 'service.name': g.service, ...g.resource }) },
      scopeSpans: [
        {
          scope: { name: 'faultline-test' },
          spans: g.spans.map((s) => {
            const duration = s.durationMs ?? 5;
            const start = s.startMs ?? Date.now() - duration;
            return {
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: KINDS[s.kind ?? 'internal'],
              startTimeUnixNano: nanos(start),
              endTimeUnixNano: nanos(start + duration),
              attributes: attrs(s.attributes),
              events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: nanos(start), attributes: attrs(e.attributes) })),
              ...(s.error !== undefined ? { status: { code: 2, message: s.error } } : {}),
            };
          }),
        },
      ],
    })),
  };
}

/**
 * POSTs `groups` to `<baseUrl>/v1/traces` as OTLP/JSON.
 * @param baseUrl - an OTLP/HTTP receiver's base, e.g. `http://127.0.0.1:4318`.
 * @throws Error with the status and body if the receiver does not answer 200.
 */
export async function sendTraces(baseUrl: string, groups: TestResourceSpans[]): Promise<void> {
  const res = await fetch(`${baseUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(otlpTraceBody(groups)),
  });
  if (res.status !== 200) throw new Error(`OTLP receiver ${baseUrl} answered ${res.status}: ${await res.text()}`);
}
