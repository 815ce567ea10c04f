/** The shape of faultline's alert rules, as Prometheus' rule files have it, plus a line in words for the docs. */

/** How urgent: `critical` is what people feel (errors, latency, a backend gone, no telemetry); `warning` a cause or a trend. */
export type Severity = 'critical' | 'warning';

/** Every alert's annotations (all templated with the alert's labels). */
export interface AlertAnnotations {
  /** One line with the client, pool, instance or dependency, and the value. */
  summary: string;
  /** What the expression measured and what usually explains it. */
  description: string;
  /** README's Alerts section. */
  runbook_url: string;
  /** The `faultline incident` command for the alert's window. */
  incident: string;
  /** A Jaeger search with the alert's tags. */
  jaeger_url: string;
  /** The Grafana dashboard narrowed to the alert's labels. */
  grafana_url: string;
  /** The panel on that dashboard that shows the same series. */
  grafana_panel: string;
}

/** One alerting rule (https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/). */
export interface AlertRule {
  alert: string;
  /** PromQL, built from @faultline/signals' names and queries. */
  expr: string;
  /** How long the expression must hold before the alert fires (`0s`: at once). */
  for: string;
  labels: { severity: Severity };
  annotations: AlertAnnotations;
  /** The expression in words (README's rule table; not written to the rules file). */
  words: string;
}

/** A rule group: evaluated together every `interval`. */
export interface RuleGroup {
  name: string;
  interval: string;
  rules: AlertRule[];
}
