/**
 * pino: log correlation and log sending (`@opentelemetry/instrumentation-pino`). Every record logged
 * inside a span gets `trace_id`, `span_id` and `trace_flags` (on stdout too: the app's own output keeps
 * its format, plus these three fields), and every record is also handed to the SDK's log record
 * processors (`logs/export.ts`), which add `client.id` and the pool state and send it as OTLP.
 */
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import type { Instrumentation } from '@opentelemetry/instrumentation';

/**
 * @param send - hand records to the SDK's log pipeline (false when `OTEL_LOGS_EXPORTER=none`: then
 *   only the correlation fields are added, and no per-record copy is made).
 */
export function pinoInstrumentation(send: boolean): Instrumentation {
  return new PinoInstrumentation({ disableLogSending: !send });
}
