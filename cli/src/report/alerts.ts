/**
 * Alerts that fired in a window, read from Prometheus' own alert series (`M.alerts`) (the rules Prometheus
 * evaluates; Alertmanager is not needed). Tolerates their absence: no alerting rules, or a
 * Prometheus that answers nothing for the series, is no alert and a note.
 */
import { eq, L, M, prometheus, selector, type Series } from '@faultline/signals';
import { runs } from '../checks/stats.ts';

/** The value of {@link L.alertState} of a firing alert. */
const FIRING = 'firing';

/** One firing of one alert. */
export interface FiredAlert {
  name: string;
  /** Its labels other than the name and state (severity, service, instance, …). */
  labels: Record<string, string>;
  /** Unix seconds: first and last point firing. */
  start: number;
  end: number;
}

/** The PromQL of firing alerts (every label kept), or of one alert by its name. */
export function firingQuery(name?: string): string {
  return selector(M.alerts, eq(L.alertState, FIRING), ...(name !== undefined ? [eq(L.alertName, name)] : []));
}

/** Firings in the series (pure): each run of points, one entry per run. */
export function firings(series: Series[], step: number): FiredAlert[] {
  const out: FiredAlert[] = [];
  for (const s of series) {
    const { [L.alertName]: name = '?', [L.alertState]: _state, __name__: _metric, ...labels } = s.labels;
    for (const r of runs(s, -Infinity, step, (v) => v > 0)) out.push({ name, labels, start: r.start, end: r.end });
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The alerts that fired between `from` and `to` (unix seconds), every `step` s; none when no rule
 * fired or no alerting rules are loaded (the two look the same in that series).
 * @throws SourceError when Prometheus cannot be reached.
 */
export async function readAlerts(base: string, from: number, to: number, step: number): Promise<FiredAlert[]> {
  return firings(await prometheus.range(base, firingQuery(), from, to, step), step);
}
