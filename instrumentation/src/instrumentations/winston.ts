/**
 * winston: log correlation and log sending (`@opentelemetry/instrumentation-winston`, which adds
 * `@opentelemetry/winston-transport` to every logger the app creates). Every record logged inside a
 * span gets `trace_id`, `span_id` and `trace_flags` (in the app's own output too), and every record is
 * also handed to the SDK's log record processors (`logs/export.ts`), which add `client.id` and the pool
 * state, scrub secrets and send it as OTLP — the same as pino's.
 */
import { WinstonInstrumentation } from '@opentelemetry/instrumentation-winston';
import type { Instrumentation } from '@opentelemetry/instrumentation';

/**
 * @param send - add the transport that hands records to the SDK's log pipeline (false when
 *   `OTEL_LOGS_EXPORTER=none`: then only the correlation fields are added).
 */
export function winstonInstrumentation(send: boolean): Instrumentation {
  return new WinstonInstrumentation({ disableLogSending: !send });
}
