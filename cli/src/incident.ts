/**
 * `faultline incident`: checks both sources answer, reads the observations, ranks the findings,
 * attaches example traces and links, and returns the report (rendering is render.ts).
 */
import { jaeger, prometheus, reason, SourceError } from '@faultline/signals';
import { CALLS } from './checks/promql.ts';
import { findEdge } from './edge.ts';
import { exampleTraces } from './examples.ts';
import { grafanaExploreUrl, prometheusGraphUrl } from './links.ts';
import { findingLogLines, recordedDeploys, tolerant } from './log-lines.ts';
import { observe } from './observe.ts';
import type { Observations } from './observations.ts';
import { alsoSeen, checks, notes, rank } from './rank.ts';
import { readAlerts } from './report/alerts.ts';
import { REPORT_VERSION, type Finding, type IncidentReport } from './report-schema.ts';
import { baselineStart, iso, windowStart, type Window } from './window.ts';

/** Options of {@link investigate}. */
export interface IncidentOptions {
  /** Prometheus base URL, e.g. `http://127.0.0.1:9090`. */
  prometheus: string;
  /** Jaeger query base URL, e.g. `http://127.0.0.1:16686`. */
  jaeger: string;
  /** Grafana base URL for links, e.g. `http://127.0.0.1:3000`. */
  grafana: string;
  /** Window length, s (`--since`). */
  windowS: number;
  /** Baseline length, s (`--baseline`); default the window's length. */
  baselineS?: number;
  /** The edge service whose server spans count client requests (`--edge`); default: found in Prometheus (edge.ts). */
  edge?: string;
  /** VictoriaLogs base URL for log lines and recorded deploys (`--logs`); undefined: not asked. */
  logs?: string;
  /** Findings that get example traces (the rest get a Jaeger search link only). Default 10. */
  maxExamples?: number;
  /** The window's end, unix seconds (`--to`); default now. */
  end?: number;
  /** "Now", unix seconds (tests). */
  now?: number;
}

/**
 * Fails fast, naming the source and URL, when Prometheus or Jaeger cannot be reached or has nothing
 * to judge (no span metrics; no services).
 * @throws SourceError
 */
export async function checkSources(o: IncidentOptions, now: number): Promise<void> {
  const [prom, traces] = await Promise.allSettled([prometheus.instant(o.prometheus, `count(${CALLS})`, now), jaeger.services(o.jaeger)]);
  if (prom.status === 'rejected') throw prom.reason;
  if (traces.status === 'rejected') throw traces.reason;
  if (prom.value.length === 0) {
    throw new SourceError(
      'Prometheus',
      o.prometheus,
      `Prometheus at ${o.prometheus} has no span metrics (${CALLS}): is it scraping the Collector's exporter (:8889)?`,
    );
  }
  if (traces.value.length === 0)
    throw new SourceError('Jaeger', o.jaeger, `Jaeger at ${o.jaeger} has no traces (no services): is the Collector sending to it?`);
}

/**
 * Runs the investigation.
 * @throws SourceError when Prometheus or Jaeger cannot be reached or has no data.
 */
export async function investigate(o: IncidentOptions): Promise<IncidentReport> {
  return (await investigateWithData(o)).report;
}

/**
 * Runs the investigation and also returns what it read (for `faultline report`'s timeline and charts).
 * @throws SourceError when Prometheus or Jaeger cannot be reached or has no data.
 */
export async function investigateWithData(o: IncidentOptions): Promise<{ report: IncidentReport; observations: Observations }> {
  const t0 = Date.now();
  const generated = Math.floor(o.now ?? Date.now() / 1000);
  const now = Math.min(o.end ?? generated, generated);
  const w: Window = { end: now, seconds: o.windowS, baselineSeconds: o.baselineS ?? o.windowS };
  // Asked alongside the source check; a failing source is reported by the check, not by this.
  const edgeFound = findEdge(o.prometheus, w, o.edge);
  edgeFound.catch(() => undefined);
  await checkSources(o, now);
  const edge = await edgeFound;
  const obs = await observe(o.prometheus, o.jaeger, w, edge.service);
  const drafts = rank(obs);
  const start = windowStart(w);
  const max = o.maxExamples ?? 10;
  // The log store is optional: missing or down gives no lines, never a failure.
  const logsBase = o.logs;
  const deploys = logsBase ? await tolerant(() => recordedDeploys(logsBase, baselineStart(w), now), []) : undefined;
  let logsError = deploys?.error;
  const findings: Finding[] = await Promise.all(
    drafts.map(async (d, i): Promise<Finding> => {
      const { examples, since, until, ...rest } = d;
      const traces =
        i < max
          ? await exampleTraces(o.prometheus, o.jaeger, examples, start, now).catch((err: unknown) => {
              if (err instanceof SourceError) throw err;
              throw new Error(`example traces for ${d.subject}: ${reason(err)}`);
            })
          : { source: 'none' as const, ids: [], urls: [], search: jaeger.searchUrl(o.jaeger, examples.jaeger, start, now) };
      const lines =
        logsBase && !logsError ? await tolerant(() => findingLogLines(logsBase, o.jaeger, examples.jaeger, start, now), []) : undefined;
      logsError ??= lines?.error;
      return {
        ...rest,
        ...(since !== undefined ? { since: iso(since) } : {}),
        ...(until !== undefined ? { until: iso(until) } : {}),
        traces,
        links: {
          prometheus: prometheusGraphUrl(o.prometheus, d.query, now, o.windowS),
          grafana: grafanaExploreUrl(o.grafana, d.query, baselineStart(w), now),
        },
        ...(lines && lines.value.length ? { logs: lines.value } : {}),
      };
    }),
  );
  // Alerts that fired in the window, from Prometheus' own alert series; none without alerting rules.
  const fired = await readAlerts(o.prometheus, start, now, obs.step).catch(() => []);
  const report: IncidentReport = {
    schema: REPORT_VERSION,
    generatedAt: iso(generated),
    window: { start: iso(start), end: iso(now), seconds: w.seconds },
    baseline: { start: iso(baselineStart(w)), end: iso(start), seconds: w.baselineSeconds },
    edge: edge.service,
    edgeFrom: edge.from,
    sources: { prometheus: o.prometheus, jaeger: o.jaeger },
    checks: checks(obs, drafts),
    findings,
    ...(logsBase ? { logs: { url: logsBase, deploys: deploys?.value ?? [], ...(logsError ? { error: logsError } : {}) } } : {}),
    alerts: fired.map((a) => ({ name: a.name, labels: a.labels, start: iso(a.start), end: iso(a.end) })),
    alsoSeen: alsoSeen(obs),
    notes: notes(obs),
    tookMs: Date.now() - t0,
  };
  return { report, observations: obs };
}
