/**
 * Incident overview: R.E.D. per service, connection pools, then the dependencies (incident-dependencies.ts).
 * `$service` narrows every panel; deploy markers (process starts and recorded deploy events) show what
 * changed when; the alerts firing now head the page and mark when each started (alerts.ts); `$client`
 * picks the clients whose warning and error log lines are shown.
 */
import { DashboardBuilder, DashboardCursorSync, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { firingAlertsAnnotation, firingAlertsPanel } from './alerts.ts';
import { deployAnnotation, deployEventAnnotation } from './annotations.ts';
import * as logsPanel from '@grafana/grafana-foundation-sdk/logs';
import { clientWarningsQuery, vlogs } from './logs-queries.ts';
import { dependencyPanels } from './incident-dependencies.ts';
import { graph } from './panels.ts';
import { CALLS, DURATION, ERROR, quantile, rateBy, ratio } from './promql.ts';
import { prom } from './queries.ts';
import { labelVariable } from './variables.ts';
import { bucket, CONNECTION_STATE, eq, L, M, re, selector, SERVER as SERVER_SPANS } from '@faultline/signals';

/** The chosen services. */
const SVC = re(L.service, '$service');
const SERVER = `${SVC},${SERVER_SPANS}`;
/** Labels that name one connection pool. */
export const POOL = [L.service, L.instance, L.poolName].join(', ');

/** Legends by service and by process. */
const BY_SERVICE = `{{${L.service}}}`;
const BY_INSTANCE = `{{${L.instance}}}`;

/** Builds the Incident overview dashboard. */
export function incidentDashboard(): DashboardBuilder {
  const d = new DashboardBuilder('faultline / Incident overview')
    .uid('faultline-incident')
    .tags(['faultline'])
    .refresh('10s')
    .time({ from: 'now-30m', to: 'now' })
    .timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(labelVariable('service', selector(CALLS, SERVER_SPANS), L.service, { label: 'Service', multi: true }))
    .withVariable(labelVariable('dependency', M.graphRequests, L.graphServer, { label: 'External dependency', current: 'partner' }))
    .withVariable(labelVariable('client', selector(CALLS, SERVER_SPANS), L.clientId, { label: 'Client (logs)', multi: true }))
    .annotation(deployAnnotation(SVC))
    .annotation(deployEventAnnotation('$service'))
    .annotation(firingAlertsAnnotation())
    .withPanel(firingAlertsPanel())
    .withRow(new RowBuilder('Requests, errors, duration'))
    .withPanel(
      graph(
        'Requests/s',
        'Server spans per second per service (health checks included).',
        [prom(rateBy(L.service, CALLS, SERVER), { legend: BY_SERVICE })],
        { unit: 'reqps', span: 8 },
      ),
    )
    .withPanel(
      graph(
        'Error rate',
        'Share of server spans with an error status.',
        [prom(ratio(rateBy(L.service, CALLS, `${SERVER},${ERROR}`), rateBy(L.service, CALLS, SERVER)), { legend: BY_SERVICE })],
        { unit: 'percentunit', min: 0, span: 8 },
      ),
    )
    .withPanel(
      graph(
        'Latency p95 / p99',
        'Server span duration; exemplars link to traces in Jaeger.',
        [
          prom(quantile(0.95, L.service, DURATION, SERVER), { refId: 'A', legend: `${BY_SERVICE} p95`, exemplar: true }),
          prom(quantile(0.99, L.service, DURATION, SERVER), { refId: 'B', legend: `${BY_SERVICE} p99`, exemplar: true }),
        ],
        { unit: 'ms', min: 0, span: 8 },
      ),
    )
    .withRow(new RowBuilder('Connection pools'))
    .withPanel(
      graph(
        'Pool connections used vs max',
        "Checked-out connections and the pool's max, per process and pool (db.client.connection.count{state=used}, db.client.connection.max).",
        [
          prom(`max by (${POOL}) (${selector(M.poolConnections, SVC, eq(L.connectionState, CONNECTION_STATE.used))})`, {
            refId: 'A',
            legend: `${BY_INSTANCE} used`,
          }),
          prom(`max by (${POOL}) (${selector(M.poolMax, SVC)})`, { refId: 'B', legend: `${BY_INSTANCE} max` }),
        ],
        { unit: 'short', min: 0, span: 8 },
      ),
    )
    .withPanel(
      graph(
        'Requests waiting for a connection',
        'db.client.connection.pending_requests per process and pool: above 0 the pool is the bottleneck.',
        [prom(`max by (${POOL}) (${selector(M.poolPending, SVC)})`, { legend: BY_INSTANCE })],
        { unit: 'short', min: 0, span: 8 },
      ),
    )
    .withPanel(
      graph(
        'Connection wait p99',
        'Time to get a connection from the pool (db.client.connection.wait_time).',
        [prom(quantile(0.99, POOL, bucket(M.poolWait), SVC), { legend: BY_INSTANCE })],
        { unit: 's', min: 0, span: 8 },
      ),
    );
  d.withRow(new RowBuilder('Logs')).withPanel(
    new logsPanel.PanelBuilder()
      .title('Warnings and errors of $client')
      .description(
        'App log lines (pino through the preload) at warn or worse for the chosen clients, newest first; each carries its trace_id (link to Jaeger) and the pool state of its moment.',
      )
      .span(24)
      .height(10)
      .withTarget(vlogs(clientWarningsQuery('$client'), 'A', 200))
      .showTime(true)
      .wrapLogMessage(true)
      .enableLogDetails(true),
  );
  for (const p of dependencyPanels()) {
    if (p instanceof RowBuilder) d.withRow(p);
    else d.withPanel(p);
  }
  return d;
}
