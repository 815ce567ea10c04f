/**
 * The alerts on the Incident overview: a "Firing alerts" list and a marker where each alert started.
 * Both read what Prometheus evaluates from grafana/rules/faultline.rules.yml, the same alerts it sends to
 * Alertmanager (alertmanager/alertmanager.yml). The list is Grafana's `alertlist` panel over the
 * Prometheus data source's rules (Grafana's Alert list reads rule sources, Grafana's own and
 * Prometheus-compatible ones; the provisioned Alertmanager data source serves Grafana's Alerting pages:
 * groups, silences). The marker is Prometheus' own alert series (`M.alerts`: one per firing alert, value 1).
 */
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import { AnnotationQueryBuilder, type Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { eq, L, M, selector } from '@faultline/signals';
import { PROMETHEUS } from './datasources.ts';
import type { AlertListOptionsJson } from './schema.ts';
import { prom } from './queries.ts';

/** The provisioned name of the Prometheus data source (the Alert list filters rule sources by name). */
export const PROMETHEUS_NAME = 'Prometheus';

/** The alerts Prometheus has firing now, one series each (value 1), with the rule's labels. */
export const FIRING_ALERTS = selector(M.alerts, eq(L.alertState, 'firing'));

/**
 * Queries that have no series while nothing fires (a quiet fleet): the report says "none firing now"
 * for them, and the dashboards test runs them without asking for data.
 */
export const EMPTY_WHILE_QUIET: ReadonlySet<string> = new Set([FIRING_ALERTS]);

/**
 * "Firing alerts": Grafana's Alert list (panel type `alertlist`, unified alerting), the firing and
 * pending alerts of the Prometheus rule source with their instances (labels: client, instance, pool),
 * newest first. `span` grid columns wide (default 24), `height` rows (default 8).
 */
export function firingAlertsPanel(span = 24, height = 8): Builder<Panel> {
  const options: AlertListOptionsJson = {
    viewMode: 'list',
    groupMode: 'default',
    groupBy: [],
    maxItems: 20,
    sortOrder: 5,
    dashboardAlerts: false,
    alertName: '',
    alertInstanceLabelFilter: '',
    datasource: PROMETHEUS_NAME,
    showInstances: true,
    stateFilter: { firing: true, pending: true, noData: false, normal: false, error: true },
  };
  return {
    build: () =>
      ({
        type: 'alertlist',
        title: 'Firing alerts',
        description:
          'Alerts Prometheus evaluates from the faultline rules (the ones it sends to Alertmanager), firing or pending, with their client, instance or pool; silences and routing in Alerting → Alertmanager.',
        gridPos: { h: height, w: span, x: 0, y: 0 },
        options,
      }) as unknown as Panel,
  };
}

/** "Alerts fired": a region on every graph from when each alert started firing to when it stopped, titled with its name. */
export function firingAlertsAnnotation(): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name('Alerts fired')
    .datasource(PROMETHEUS)
    .enable(true)
    .iconColor('red')
    .target(prom(FIRING_ALERTS, { refId: 'Anno' }))
    .expr(FIRING_ALERTS)
    .step('15s')
    .titleFormat(`{{${L.alertName}}}`)
    .textFormat(`{{${L.alertName}}} {{${L.clientId}}} {{${L.instance}}}`)
    .tagKeys(L.alertName);
}
