/**
 * `faultline report`: the investigation over `--from/--to`, turned into a timeline (findings at
 * their start, breaker transitions, alerts that fired) with the charts that show it.
 */
import { eq, L, M, prometheus, selector, type Sample } from '@faultline/signals';
import { investigateWithData, type IncidentOptions } from '../incident.ts';
import { TIMELINE_VERSION, type TimelineReport } from '../report-schema.ts';
import { baselineStart, stepSeconds, windowStart } from '../window.ts';
import { readAlerts } from './alerts.ts';
import { backendsChart, markers, poolChart, requestsChart, upstreamService, type Chart } from './charts.ts';
import { timeline } from './timeline.ts';

/** A built report: the data (`--format json`) and its charts (specs, drawn by draw.ts). */
export interface BuiltReport {
  report: TimelineReport;
  charts: Chart[];
}

/** Who the edge calls, over the baseline and window (service graph). */
function graphQuery(edge: string, seconds: number): string {
  return `sum by (${L.graphServer}) (increase(${selector(M.graphRequests, eq(L.graphClient, edge))}[${seconds}s]))`;
}

/**
 * Builds the report.
 * @throws SourceError when Prometheus or Jaeger cannot be reached or has no data.
 */
export async function buildReport(o: IncidentOptions): Promise<BuiltReport> {
  const t0 = Date.now();
  const { report: r, observations: obs } = await investigateWithData({ maxExamples: 30, ...o });
  const w = obs.window;
  const notes = [...(r.notes ?? [])];
  const [alerts, graph] = await Promise.all([
    readAlerts(o.prometheus, baselineStart(w), w.end, stepSeconds(w)),
    obs.edge
      ? prometheus.instant(o.prometheus, graphQuery(obs.edge, w.seconds + w.baselineSeconds), w.end)
      : Promise.resolve([] as Sample[]),
  ]);
  const inWindow = alerts.filter((a) => a.end >= windowStart(w));
  if (inWindow.length === 0) notes.push('alerts: none fired in the window (or no alerting rules are loaded in Prometheus)');
  const entries = timeline(r, obs, inWindow);
  const ms = markers(entries);
  const culprits = r.findings.filter((f) => f.kind === 'client-requests' && Number(f.evidence['excess'] ?? 0) > 0).map((f) => f.subject);
  const charts = [requestsChart(obs, culprits, ms), poolChart(obs, ms), backendsChart(obs, upstreamService(obs, graph), ms)].filter(
    (c): c is Chart => c !== undefined,
  );
  const report: TimelineReport = {
    schema: TIMELINE_VERSION,
    generatedAt: r.generatedAt,
    window: r.window,
    baseline: r.baseline,
    edge: r.edge,
    edgeFrom: r.edgeFrom,
    sources: r.sources,
    notes,
    entries,
    alsoSeen: r.alsoSeen ?? [],
    charts: charts.map(({ name, title, series }) => ({ name, title, series })),
    tookMs: Date.now() - t0,
  };
  return { report, charts };
}
