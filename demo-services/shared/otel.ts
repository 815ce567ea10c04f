/**
 * The demo's own few uses of the OpenTelemetry API (the preload provides the SDK; without it every
 * call here is a no-op): a tracer and a meter per service, work attributed to a client outside any
 * request, and calls that must not be traced or carry trace context.
 */
import { ROOT_CONTEXT, context, metrics, propagation, trace, type Meter, type Tracer } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/** The tracer of demo service `service` (instrumentation scope `demo-<service>`). */
export function tracer(service: string): Tracer {
  return trace.getTracer(`demo-${service}`);
}

/** The meter of demo service `service` (instrumentation scope `demo-<service>`). */
export function meter(service: string): Meter {
  return metrics.getMeter(`demo-${service}`);
}

/**
 * Runs `fn` in a fresh context (no parent span) whose W3C Baggage names `clientId`: every span it
 * starts, and every job it enqueues, carries that `client.id` (the preload reads the baggage entry).
 */
export function asClient<T>(clientId: string, fn: () => T): T {
  const bag = propagation.createBaggage({ 'client.id': { value: clientId } });
  return context.with(propagation.setBaggage(ROOT_CONTEXT, bag), fn);
}

/** Runs `fn` with tracing suppressed: no spans, and no `traceparent` on its outbound requests. */
export function untraced<T>(fn: () => T): T {
  return context.with(suppressTracing(context.active()), fn);
}

/** The `client.id` of the active context's baggage (set by the preload from the edge), if any. */
export function activeClientId(): string | undefined {
  return propagation.getActiveBaggage()?.getEntry('client.id')?.value;
}
