/**
 * Incident overview: R.E.D. per service, connection pools, then the dependencies (incident-dependencies.ts).
 * `$service` narrows every panel; deploy markers show what changed when.
 */
import { DashboardBuilder, DashboardCursorSync, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { deployAnnotation } from './annotations.ts';
import { dependencyPanels } from './incident-dependencies.ts';
import { graph } from './panels.ts';
import { CALLS, DURATION, ERROR, quantile, rateBy, ratio } from './promql.ts';
import { prom } from './queries.ts';
import { labelVariable } from './variables.ts';

const SERVER = 'service_name=~"$service",span_kind="SPAN_KIND_SERVER"';
/** Labels that name one connection pool. */
export const POOL = 'service_name, instance, db_client_connection_pool_name';

/** Builds the Incident overview dashboard. */
export function incidentDashboard(): DashboardBuilder {
  const d = new DashboardBuilder('faultline / Incident overview')
    .uid('faultline-incident').tags(['faultline']).refresh('10s').time({ from: 'now-30m', to: 'now' }).timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(labelVariable('service', `${CALLS}{span_kind="SPAN_KIND_SERVER"}`, 'service_name', { label: 'Service', multi: true }))
    .withVariable(labelVariable('dependency', 'traces_service_graph_request_total', 'server', { label: 'External dependency', current: 'partner' }))
    .annotation(deployAnnotation('service_name=~"$service"'))
    .withRow(new RowBuilder('Requests, errors, duration'))
    .withPanel(graph('Requests/s', 'Server spans per second per service (health checks included).',
      [prom(rateBy('service_name', CALLS, SERVER), { legend: '{{service_name}}' })], { unit: 'reqps', span: 8 }))
    .withPanel(graph('Error rate', 'Share of server spans with an error status.',
      [prom(ratio(rateBy('service_name', CALLS, `${SERVER},${ERROR}`), rateBy('service_name', CALLS, SERVER)), { legend: '{{service_name}}' })],
      { unit: 'percentunit', min: 0, span: 8 }))
    .withPanel(graph('Latency p95 / p99', 'Server span duration; exemplars link to traces in Jaeger.', [
      prom(quantile(0.95, 'service_name', DURATION, SERVER), { refId: 'A', legend: '{{service_name}} p95', exemplar: true }),
      prom(quantile(0.99, 'service_name', DURATION, SERVER), { refId: 'B', legend: '{{service_name}} p99', exemplar: true }),
    ], { unit: 'ms', min: 0, span: 8 }))
    .withRow(new RowBuilder('Connection pools'))
    .withPanel(graph('Pool connections used vs max', 'Checked-out connections and the pool\'s max, per process and pool (db.client.connection.count{state=used}, db.client.connection.max).', [
      prom(`max by (${POOL}) (db_client_connection_count{service_name=~"$service",db_client_connection_state="used"})`, { refId: 'A', legend: '{{instance}} used' }),
      prom(`max by (${POOL}) (db_client_connection_max{service_name=~"$service"})`, { refId: 'B', legend: '{{instance}} max' }),
    ], { unit: 'short', min: 0, span: 8 }))
    .withPanel(graph('Requests waiting for a connection', 'db.client.connection.pending_requests per process and pool: above 0 the pool is the bottleneck.',
      [prom(`max by (${POOL}) (db_client_connection_pending_requests{service_name=~"$service"})`, { legend: '{{instance}}' })], { unit: 'short', min: 0, span: 8 }))
    .withPanel(graph('Connection wait p99', 'Time to get a connection from the pool (db.client.connection.wait_time).',
      [prom(quantile(0.99, POOL, 'db_client_connection_wait_time_seconds_bucket', 'service_name=~"$service"'), { legend: '{{instance}}' })],
      { unit: 's', min: 0, span: 8 }));
  for (const p of dependencyPanels()) {
    if (p instanceof RowBuilder) d.withRow(p);
    else d.withPanel(p);
  }
  return d;
}
