/**
 * Clients: who is calling, how hard, how often failing and how slowly, per client ID at the edge
 * (server spans of the `$edge` service; `$client` narrows every panel).
 */
import { DashboardBuilder, DashboardCursorSync, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { deployAnnotation } from './annotations.ts';
import { graph, mergedTable } from './panels.ts';
import { CALLS, DURATION, ERROR, quantile, rateBy, ratio } from './promql.ts';
import { prom } from './queries.ts';
import { labelVariable } from './variables.ts';
import { eq, L, re, selector, SERVER } from '@faultline/signals';

/** How many clients the top-N table lists. */
export const TOP_N = 10;
/** Selector of the edge's server spans of the chosen clients. */
const EDGE = [eq(L.service, '$edge'), SERVER, re(L.clientId, '$client')].join(',');

/** Requests per client in the dashboard's range, the top {@link TOP_N}. */
export function topClientsQuery(): string {
  return `topk(${TOP_N}, sum by (${L.clientId}) (increase(${CALLS}{${EDGE}}[$__range])))`;
}

/** Builds the Clients dashboard. */
export function clientsDashboard(): DashboardBuilder {
  const top = topClientsQuery();
  const previous = `sum by (${L.clientId}) (increase(${CALLS}{${EDGE}}[$__range] offset $__range))`;
  return new DashboardBuilder('faultline / Clients')
    .uid('faultline-clients')
    .tags(['faultline'])
    .refresh('10s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(labelVariable('edge', selector(CALLS, SERVER), L.service, { label: 'Edge service', current: 'lb' }))
    .withVariable(labelVariable('client', selector(CALLS, eq(L.service, '$edge'), SERVER), L.clientId, { label: 'Client', multi: true }))
    .annotation(deployAnnotation())
    .withRow(new RowBuilder('Traffic by client'))
    .withPanel(
      graph(
        'Requests/s per client',
        "Requests arriving at the edge per client ID (stacked: the total is the edge's load).",
        [prom(rateBy(L.clientId, CALLS, EDGE), { legend: `{{${L.clientId}}}` })],
        { unit: 'reqps', stacked: true, span: 14 },
      ),
    )
    .withPanel(
      mergedTable(
        `Top ${TOP_N} clients`,
        'Requests per client in the selected range, and the change against the range before it (the previous hour on the default range; a client with no traffic then counts from 0).',
        [prom(`sort_desc(${top})`, { refId: 'A', table: true }), prom(`${top} - (${previous} or ${top} * 0)`, { refId: 'B', table: true })],
        { A: 'Requests', B: 'Change vs previous range' },
        { span: 10, unit: 'short' },
      ),
    )
    .withRow(new RowBuilder('Errors and latency by client'))
    .withPanel(
      graph(
        'Error rate per client',
        "Share of the client's requests that ended with an error status.",
        [prom(ratio(rateBy(L.clientId, CALLS, `${EDGE},${ERROR}`), rateBy(L.clientId, CALLS, EDGE)), { legend: `{{${L.clientId}}}` })],
        { unit: 'percentunit', min: 0 },
      ),
    )
    .withPanel(
      graph(
        'p95 latency per client',
        "95th percentile of the edge's server span duration per client; exemplars link to traces in Jaeger.",
        [prom(quantile(0.95, L.clientId, DURATION, EDGE), { legend: `{{${L.clientId}}}`, exemplar: true })],
        { unit: 'ms', min: 0 },
      ),
    );
}
