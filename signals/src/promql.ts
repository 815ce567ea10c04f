/**
 * The few PromQL shapes every reader builds on: label matchers, selectors, and the matchers that pick
 * server spans and failed spans. Dashboards, alert rules and `faultline incident` compose their
 * queries from these and from the names in metrics.ts and labels.ts.
 */
import { L, SPAN_KIND, STATUS } from './labels.ts';

/** `label="value"` (the value is escaped as a PromQL string). */
export function eq(label: string, value: string): string {
  return `${label}=${JSON.stringify(value)}`;
}

/** `label!="value"`. */
export function ne(label: string, value: string): string {
  return `${label}!=${JSON.stringify(value)}`;
}

/** `label=~"pattern"` (the pattern is used as given: a Grafana variable such as `$client` stays one). */
export function re(label: string, pattern: string): string {
  return `${label}=~"${pattern}"`;
}

/** `label!~"pattern"`. */
export function nre(label: string, pattern: string): string {
  return `${label}!~"${pattern}"`;
}

/** `metric{m1,m2,…}`, or the bare metric when no matcher is given; empty matchers are skipped. */
export function selector(metric: string, ...matchers: (string | undefined)[]): string {
  const m = matchers.filter((x): x is string => !!x);
  return m.length ? `${metric}{${m.join(',')}}` : metric;
}

/** The matcher of server spans (one per request a service handled). */
export const SERVER = eq(L.spanKind, SPAN_KIND.server);
/** The matcher of client spans (one per outgoing call). */
export const CLIENT = eq(L.spanKind, SPAN_KIND.client);
/** The matcher of producer spans (a job or message sent). */
export const PRODUCER = eq(L.spanKind, SPAN_KIND.producer);
/** The matcher of consumer spans (a job or message processed). */
export const CONSUMER = eq(L.spanKind, SPAN_KIND.consumer);
/** The matcher of failed spans. */
export const FAILED = eq(L.statusCode, STATUS.error);

/** Routes treated as health checks (`http.route` of a load balancer's probes). */
export const HEALTH_ROUTES = '/healthz|/health|/livez|/readyz|/ready';
