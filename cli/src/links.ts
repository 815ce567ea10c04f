/** Links from a finding to its numbers: a Prometheus graph and Grafana Explore over the window. */

/** Grafana's Prometheus datasource uid (grafana/provisioning/datasources/datasources.yaml). */
export const GRAFANA_DATASOURCE = 'faultline-prometheus';

/** The Prometheus graph page of `expr` over the `seconds` ending at `end` (unix seconds). */
export function prometheusGraphUrl(base: string, expr: string, end: number, seconds: number): string {
  const p = new URLSearchParams({
    'g0.expr': expr,
    'g0.tab': '0',
    'g0.range_input': `${Math.max(60, Math.ceil(seconds * 2))}s`,
    'g0.end_input': new Date(end * 1000).toISOString().slice(0, 19).replace('T', ' '),
    'g0.show_exemplars': '1',
  });
  return `${base}/graph?${p}`;
}

/** Grafana Explore with `expr` on faultline's Prometheus datasource, from `start` to `end` (unix seconds). */
export function grafanaExploreUrl(base: string, expr: string, start: number, end: number): string {
  const pane = {
    datasource: GRAFANA_DATASOURCE,
    queries: [{ refId: 'A', expr, range: true, exemplar: true, datasource: { type: 'prometheus', uid: GRAFANA_DATASOURCE } }],
    range: { from: String(Math.floor(start * 1000)), to: String(Math.ceil(end * 1000)) },
  };
  return `${base}/explore?${new URLSearchParams({ schemaVersion: '1', orgId: '1', panes: JSON.stringify({ incident: pane }) })}`;
}
