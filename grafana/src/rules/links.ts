/**
 * The annotations' building blocks: Prometheus alert templates for label values (Go text/template,
 * https://prometheus.io/docs/prometheus/latest/configuration/template_reference/), and the links a
 * person follows from a notification — a Jaeger search with the alert's tags, a Grafana dashboard
 * narrowed to the alert's labels, and the `faultline incident` command line.
 */
import { ALERT_CONFIG } from './config.ts';

/** `{{ $labels.<label> }}`: the alert's value of `label`. */
export function lbl(label: string): string {
  return `{{ $labels.${label} }}`;
}

/** The alert's label value, URL-query escaped (for links). */
function q(label: string): string {
  return `{{ $labels.${label} | urlquery }}`;
}

/** `{{ $value | humanize }}`: the expression's value, e.g. `9.8` or `1.2k`. */
export const VALUE = '{{ $value | humanize }}';
/** The value as a percentage, e.g. `42%`. */
export const VALUE_PERCENT = '{{ $value | humanizePercentage }}';
/** The value as bytes, e.g. `1.2Mi`. */
export const VALUE_BYTES = '{{ $value | humanize1024 }}B';

/** Grafana dashboards the alerts link to, by uid (grafana/src/*.ts; grafana/test/rules.test.ts checks they exist). */
export const DASHBOARD = {
  clients: 'faultline-clients',
  incident: 'faultline-incident',
  collector: 'faultline-collector',
} as const;

/**
 * A Jaeger UI search for `service` with `tags` (span or process tags). Values are literal strings or,
 * for `{ label }`, the alert's value of that label.
 */
export function jaegerSearchUrl(service: string | { label: string }, tags: Record<string, string | { label: string }> = {}): string {
  const v = (x: string | { label: string }) => (typeof x === 'string' ? encodeURIComponent(x) : q(x.label));
  const json = Object.entries(tags).map(
    ([k, x]) =>
      `${encodeURIComponent(JSON.stringify(k))}%3A${typeof x === 'string' ? encodeURIComponent(JSON.stringify(x)) : `%22${q(x.label)}%22`}`,
  );
  const tagParam = json.length ? `&tags=%7B${json.join('%2C')}%7D` : '';
  return `${ALERT_CONFIG.links.jaeger}/search?service=${v(service)}&lookback=1h&limit=20${tagParam}`;
}

/** A Grafana dashboard (by uid) over the last 30 minutes with template variables set from literals or alert labels. */
export function grafanaUrl(uid: string, vars: Record<string, string | { label: string }> = {}): string {
  const p = Object.entries(vars)
    .map(([k, x]) => `&var-${k}=${typeof x === 'string' ? encodeURIComponent(x) : q(x.label)}`)
    .join('');
  return `${ALERT_CONFIG.links.grafana}/d/${uid}?from=now-30m&to=now${p}`;
}

/** The `faultline incident` line to run from a notification. */
export function incidentCommand(): string {
  return `npx faultline incident --since ${ALERT_CONFIG.links.incidentSince}`;
}
