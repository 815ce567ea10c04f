/**
 * The load balancer's own telemetry (through the preload's SDK; no-ops without it), so that an
 * ejection is visible where the rest of the incident is, not only in a log line:
 * - span `health_check` per check (attributes `lb.backend`, `lb.health_check.ok`), with a span event
 *   `lb.backend.ejected` / `lb.backend.readmitted` (and attribute `lb.backend.transition`) when the
 *   check changed the backend's state; the check's HTTP client span is its child;
 * - metrics `lb.backend.requests` (counter), `lb.backend.ejections` (counter) and `lb.backend.healthy`
 *   (gauge, 1/0), each by `lb.backend`;
 * - `lb.backend` on the server span of every forwarded request.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { meter, tracer } from '../shared/otel.ts';
import type { BackendSet, Transition } from './health.ts';

/** Attribute: the backend as `host:port`. */
export const ATTR_BACKEND = 'lb.backend';

/** `host:port` of a backend URL (its label in every metric and span). */
export function backendName(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The lb's telemetry over `backends`. */
export function createLbTelemetry(backends: BackendSet) {
  const m = meter('lb');
  const t = tracer('lb');
  const requests = m.createCounter('lb.backend.requests', { description: 'Requests forwarded to a backend.', unit: '{request}' });
  const ejections = m.createCounter('lb.backend.ejections', {
    description: 'Times a backend was ejected by its health checks.',
    unit: '{ejection}',
  });
  m.createObservableGauge('lb.backend.healthy', {
    description: '1 while a backend is in rotation, 0 while ejected.',
    unit: '1',
  }).addCallback((r) => {
    for (const b of backends.status()) r.observe(b.healthy ? 1 : 0, { [ATTR_BACKEND]: backendName(b.url) });
  });
  return {
    /** Counts a request forwarded to `url` and names the backend on the active (server) span. */
    forwarded(url: string): void {
      const name = backendName(url);
      requests.add(1, { [ATTR_BACKEND]: name });
      trace.getActiveSpan()?.setAttribute(ATTR_BACKEND, name);
    },
    /**
     * Runs one health check of `url` inside a `health_check` span.
     * @param check - performs the check: `{ok, reason}`.
     * @param record - records the result and says whether the backend changed state.
     */
    async healthCheck(
      url: string,
      check: () => Promise<{ ok: boolean; reason?: string }>,
      record: (ok: boolean, reason?: string) => Transition,
    ): Promise<Transition> {
      const name = backendName(url);
      return t.startActiveSpan('health_check', { attributes: { [ATTR_BACKEND]: name } }, async (span) => {
        try {
          const { ok, reason } = await check();
          span.setAttribute('lb.health_check.ok', ok);
          if (!ok) span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
          const change = record(ok, reason);
          if (change) {
            span.setAttribute('lb.backend.transition', change);
            span.addEvent(`lb.backend.${change}`, { [ATTR_BACKEND]: name, ...(reason ? { reason } : {}) });
            if (change === 'ejected') ejections.add(1, { [ATTR_BACKEND]: name });
          }
          return change;
        } finally {
          span.end();
        }
      });
    },
  };
}
