/**
 * The entries of `faultline report` (pure): every finding of the investigation at the time it
 * started, every circuit breaker transition, and every alert that fired, in time order.
 */
import { eq, L, M, selector } from '@faultline/signals';
import type { Observations } from '../observations.ts';
import type { IncidentReport, TimelineEntry } from '../report-schema.ts';
import { iso, windowStart } from '../window.ts';
import { firingQuery, type FiredAlert } from './alerts.ts';
import { BREAKER_KEY, breakerTransitions } from './breaker-transitions.ts';

/** Entries from the findings: each at its `since` (the window start when unknown), ties by rank. */
function fromFindings(r: IncidentReport): TimelineEntry[] {
  return r.findings.map((f) => ({
    time: f.since ?? r.window.start,
    ...(f.until !== undefined ? { until: f.until } : {}),
    kind: f.kind,
    subject: f.subject,
    title: f.title,
    details: f.since ? f.details : ['time: the window (the data does not say when it started)', ...f.details],
    evidence: f.evidence,
    query: f.query,
    ...(f.traces.urls[0] ? { trace: f.traces.urls[0] } : {}),
    search: f.traces.search,
  }));
}

/** Entries of breaker transitions in the window. */
function fromBreakers(o: Observations): TimelineEntry[] {
  return breakerTransitions(o.range.breakerState, windowStart(o.window)).map((t) => ({
    time: iso(t.time),
    kind: 'breaker-transition' as const,
    subject: `${t.instance}/${t.breaker}`,
    title: t.title,
    details: [],
    evidence: { service: t.service, instance: t.instance, breaker: t.breaker, from: t.from, to: t.to },
    query: `max by (${BREAKER_KEY}) (${selector(M.breakerState, eq(L.breakerName, t.breaker), eq(L.instance, t.instance))})`,
  }));
}

/** Entries of alerts that fired. */
function fromAlerts(alerts: FiredAlert[]): TimelineEntry[] {
  return alerts.map((a) => {
    const labels = Object.entries(a.labels).map(([k, v]) => `${k}=${v}`);
    return {
      time: iso(a.start),
      until: iso(a.end),
      kind: 'alert' as const,
      subject: a.name,
      title: `alert ${a.name} fired${labels.length ? ` (${labels.join(', ')})` : ''}`,
      details: [],
      evidence: { ...a.labels, seconds: a.end - a.start },
      query: firingQuery(a.name),
    };
  });
}

/** Every entry in time order (ties: findings by rank first, then transitions, then alerts). */
export function timeline(r: IncidentReport, o: Observations, alerts: FiredAlert[]): TimelineEntry[] {
  const all = [...fromFindings(r), ...fromBreakers(o), ...fromAlerts(alerts)];
  return all
    .map((e, i) => ({ e, i }))
    .sort((a, b) => Date.parse(a.e.time) - Date.parse(b.e.time) || a.i - b.i)
    .map(({ e }) => e);
}
