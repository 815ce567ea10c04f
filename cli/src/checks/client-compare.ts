/**
 * What the clients check compares (pure): requests per client in the window against the baseline,
 * scaled to what the baseline has data for; and when the baseline has (almost) none — a freshly
 * started stack, a gap — the data that exists, split in two: its first third (the reference)
 * against the rest.
 */
import { L, type Sample, type Series } from '@faultline/signals';
import { baselineStart, clock, formatDuration, rateSeconds, windowStart, type Window } from '../window.ts';
import { byLabel } from './stats.ts';

/** What the comparison reads: the per-client request counts and rate series at the edge. */
export interface CompareData {
  window: Window;
  edge: string;
  /** Step of the range series, s. */
  step: number;
  instant: { requests: Sample[]; requestsBase: Sample[] };
  range: { clientRate: Series[] };
}

/** Less baseline than this (s, and share of the asked baseline) is no baseline: the data that exists is split instead. */
export const MIN_BASELINE = { seconds: 30, share: 0.25 } as const;

/** The least data (s) a split comparison needs: a 10 s reference and 10 s after it. */
export const MIN_SPLIT_SECONDS = 20;

/** Requests per client now and before, and the lengths they cover. */
export interface ClientComparison {
  /**
   * `baseline`: the window against the baseline (all of it, or the part with data, scaled);
   * `split`: no baseline, the data that exists split in two: its first third against the rest
   * (requests only).
   */
  mode: 'baseline' | 'split';
  /** Requests per client in the compared window. */
  current: Map<string, number>;
  /** Requests per client in the compared baseline. */
  before: Map<string, number>;
  /** Length of the compared window, s. */
  windowS: number;
  /** Length of the compared baseline (the part with data), s. */
  baselineS: number;
  /** Unix seconds: where the compared window starts (the window's start, or the split point). */
  start: number;
}

/** When the edge's request data starts in the range (unix seconds), if it has any. */
export function edgeDataStart(o: Pick<CompareData, 'range'>): number | undefined {
  const first = Math.min(...o.range.clientRate.map((s) => s.points[0]?.[0] ?? Infinity));
  // The first point of a `rate()` series comes one scrape (5 s) after the first sample.
  return Number.isFinite(first) ? first - 5 : undefined;
}

/**
 * Seconds of the baseline that have data at the edge: all of it, unless the data starts later
 * (a fresh stack, a new edge).
 */
export function baselineCoverage(o: Pick<CompareData, 'range' | 'window'>): number {
  const first = edgeDataStart(o);
  if (first === undefined) return 0;
  return Math.max(0, Math.min(o.window.baselineSeconds, windowStart(o.window) - first));
}

/** Whether the baseline has enough data for the window to be compared with it. */
export function enoughBaseline(o: Pick<CompareData, 'range' | 'window'>): boolean {
  return baselineCoverage(o) >= Math.max(MIN_BASELINE.seconds, MIN_BASELINE.share * o.window.baselineSeconds);
}

/** Requests per client in `[from, to)` from the rate series (rate × step per point). */
function countsBetween(series: Series[], from: number, to: number, step: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of series) {
    const n = s.points.reduce((a, [t, v]) => (t >= from && t < to && Number.isFinite(v) ? a + v * step : a), 0);
    const client = s.labels[L.clientId] ?? '';
    out.set(client, (out.get(client) ?? 0) + n);
  }
  return out;
}

/**
 * What the clients check compares, or `undefined` when there is nothing to compare (no data at
 * the edge, or less than {@link MIN_SPLIT_SECONDS} of it).
 */
export function compareClients(o: CompareData): ClientComparison | undefined {
  const covered = baselineCoverage(o);
  const start = windowStart(o.window);
  if (enoughBaseline(o)) {
    return {
      mode: 'baseline',
      current: byLabel(o.instant.requests, L.clientId),
      before: byLabel(o.instant.requestsBase, L.clientId),
      windowS: o.window.seconds,
      baselineS: covered,
      start,
    };
  }
  const first = edgeDataStart(o);
  if (first === undefined) return undefined;
  // The first `rate()` lookback of a series that just began counts short (fewer samples than the
  // lookback), so the reference starts after it.
  const from = Math.max(first + rateSeconds(o.window), baselineStart(o.window));
  const span = o.window.end - from;
  if (span < MIN_SPLIT_SECONDS) return undefined;
  // Split on a step of the series, so that both parts hold whole points.
  const mid = from + Math.max(10, Math.round(span / 3 / o.step) * o.step);
  const end = o.window.end + o.step;
  return {
    mode: 'split',
    current: countsBetween(o.range.clientRate, mid, end, o.step),
    before: countsBetween(o.range.clientRate, from, mid, o.step),
    windowS: end - mid,
    baselineS: mid - from,
    start: mid,
  };
}

/**
 * The caveat the report's header shows when the baseline is not what was asked, or `undefined`:
 * e.g. `baseline: only 15s of data (from 12:00:05): requests compared 12:00:05–12:00:35 vs 12:00:35–12:01:05`.
 */
export function comparisonNote(o: CompareData): string | undefined {
  const c = compareClients(o);
  const first = edgeDataStart(o);
  const covered = baselineCoverage(o);
  if (!c)
    return first === undefined
      ? undefined
      : `baseline: none (data at ${o.edge} starts ${clock(first)}): too little data to compare clients`;
  if (c.mode === 'split') {
    const from = c.start - c.baselineS;
    return `baseline: ${covered > 0 ? `only ${formatDuration(covered)} of data` : 'none'} (data at ${o.edge} starts ${clock(first!)}): requests per client compared ${clock(from)}–${clock(c.start)} vs ${clock(c.start)}–${clock(o.window.end)}`;
  }
  if (covered < o.window.baselineSeconds - o.step)
    return `baseline: ${formatDuration(covered)} of data of the ${formatDuration(o.window.baselineSeconds)} asked (data at ${o.edge} starts ${clock(first!)}), scaled to the window`;
  return undefined;
}
